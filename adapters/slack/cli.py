"""Slack's part of the coalition-bot command (see adapters/platform.py)."""

from __future__ import annotations

import argparse
from typing import Any

from adapters.platform import Runner
from bot.config import Secrets


def add_commands(commands: Any, run_parser: argparse.ArgumentParser) -> None:
    """Slack's subcommands and its options for `coalition-bot run`."""


def runner(args: argparse.Namespace, secrets: Secrets) -> Runner | None:
    """The Slack runner when its tokens are set; not yet available in this version."""
    return None
