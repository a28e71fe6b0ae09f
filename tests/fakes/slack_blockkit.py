"""Block Kit checked with slack_sdk's own models, for the fake Slack.

The fake's limit checks (slack.py) cover the sizes Slack rejects; this covers the
shapes: every block, element, composition object and view must be one that
slack_sdk's models know, with no field they would drop or change, and must pass
their ``validate_json()``. A payload that fails comes back as a list of
problems, each naming where it is (a JSON pointer), which the fake records.

Parsing is lenient in slack_sdk (an unknown block type is logged and skipped, an
unknown field dropped), so the check is a round trip: what the models give back
must be what was sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.blocks import Block, Option
from slack_sdk.models.views import View

# Block.parse logs "Unknown block detected and skipped"; the round trip reports it instead.
logging.getLogger("slack_sdk.models.blocks.blocks").setLevel(logging.ERROR)

OPTIONS_PER_MENU = 100  # options a block_suggestion answer may carry


def _differences(sent: Any, kept: Any, pointer: str) -> list[str]:
    """Where the models' round trip differs from what was sent."""
    if isinstance(sent, Mapping) and isinstance(kept, Mapping):
        found: list[str] = []
        for key, value in sent.items():
            if key not in kept:
                # A null is dropped by the models and by Slack alike.
                if value is not None:
                    found.append(f"{pointer}/{key}: not a field slack_sdk knows here")
            else:
                found.extend(_differences(value, kept[key], f"{pointer}/{key}"))
        return found
    if isinstance(sent, list) and isinstance(kept, list):
        if len(sent) != len(kept):
            return [f"{pointer}: {len(sent)} items sent, {len(kept)} understood"]
        return [
            p
            for i, (s, k) in enumerate(zip(sent, kept, strict=True))
            for p in _differences(s, k, f"{pointer}/{i}")
        ]
    if sent != kept or type(sent) is not type(kept):
        return [f"{pointer}: {sent!r} is not valid here (slack_sdk reads {kept!r})"]
    return []


def _checked(parse: Callable[[], JsonObject | None], sent: Any, pointer: str) -> list[str]:
    if not isinstance(sent, Mapping):
        return [f"{pointer}: must be an object, not {type(sent).__name__}"]
    try:
        model = parse()
        if model is None:
            return [f"{pointer}: type {sent.get('type')!r} is not a Block Kit type"]
        model.validate_json()
        kept = model.to_dict()
    except (SlackObjectFormationError, TypeError, ValueError, KeyError, AttributeError) as e:
        return [f"{pointer}: {e}"]
    return _differences(sent, kept, pointer)


def blocks_problems(blocks: Any, pointer: str = "/blocks") -> list[str]:
    """What slack_sdk finds wrong with a list of blocks (empty when they are valid)."""
    if blocks is None:
        return []
    if not isinstance(blocks, list):
        return [f"{pointer}: must be an array"]
    return [
        problem
        for i, block in enumerate(blocks)
        for problem in _checked(partial(Block.parse, block), block, f"{pointer}/{i}")
    ]


def view_problems(view: Any, pointer: str = "/view") -> list[str]:
    """What slack_sdk finds wrong with a modal or Home tab view."""
    if not isinstance(view, Mapping):
        return [f"{pointer}: must be an object"]
    problems = blocks_problems(view.get("blocks"), f"{pointer}/blocks")
    if problems:
        return problems

    def parse() -> View:
        return View(**view)

    return _checked(parse, view, pointer)


def options_problems(options: Any, pointer: str = "/options") -> list[str]:
    """What is wrong with the options answering a block_suggestion (an external menu)."""
    if not isinstance(options, list):
        return [f"{pointer}: must be an array"]
    problems: list[str] = []
    if len(options) > OPTIONS_PER_MENU:
        problems.append(f"{pointer}: no more than {OPTIONS_PER_MENU} items allowed")
    for i, option in enumerate(options):
        where = f"{pointer}/{i}"
        text = option.get("text") if isinstance(option, Mapping) else None
        if not isinstance(text, Mapping) or text.get("type") != "plain_text":
            problems.append(f"{where}/text: a menu option's text must be plain_text")
        problems.extend(_checked(partial(_option, option), option, where))
    return problems


def _option(option: Mapping[str, Any]) -> Option:
    return Option(**option)


def ack_problems(kind: str, sent: Mapping[str, Any], answer: Any) -> list[str]:
    """What is wrong with the payload of an ack to an envelope of `kind` carrying `sent`."""
    if answer is None:
        return []
    if not isinstance(answer, Mapping):
        return [f"ack payload: must be an object, not {type(answer).__name__}"]
    # A slash command's answer in its ack is checked as the message it becomes.
    problems: list[str] = []
    if "options" in answer:
        problems += options_problems(answer["options"])
    action = answer.get("response_action")
    if action is None:
        return problems
    if kind != "interactive" or sent.get("type") != "view_submission":
        return [*problems, "/response_action: only a view_submission's ack may carry one"]
    if action in ("update", "push"):
        problems += view_problems(answer.get("view"))
    elif action == "errors":
        errors = answer.get("errors")
        known = {b.get("block_id") for b in (sent.get("view") or {}).get("blocks") or []}
        if not isinstance(errors, Mapping) or not errors:
            problems.append("/errors: must be an object of block_id -> message")
        else:
            for block_id, message in errors.items():
                if block_id not in known:
                    problems.append(f"/errors/{block_id}: no input block has this block_id")
                if not isinstance(message, str) or not message:
                    problems.append(f"/errors/{block_id}: must be a non-empty string")
    elif action != "clear":
        problems.append(f"/response_action: {action!r} is not errors, update, push or clear")
    return problems
