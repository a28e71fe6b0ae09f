"""Thin translators between platforms (terminal, Slack, Discord) and the core, plus the CLI."""
