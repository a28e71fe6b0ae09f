"""Where the terminal's log goes: never into the conversation.

On a terminal, stderr is the same screen as the chat, so a warning (a skipped
late announcement) would read as if the bot said it. The log goes to a file
next to the database instead; when stderr is redirected (a script, a service),
it stays there, since that is where the person asked for it.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import make_url


def log_file_for(database_url: str, folder: Path) -> Path:
    """coalition.db -> coalition.log beside it; `folder` for a server or in-memory database."""
    url = make_url(database_url)
    database = url.database or ""
    if url.get_backend_name() == "sqlite" and database and database != ":memory:":
        return Path(database).with_suffix(".log")
    return folder / "coalition-bot.log"


def keep_log_out_of_chat(
    database_url: str, folder: Path, stderr: TextIO | None = None
) -> str | None:
    """Sends the root logger's output to a file if stderr is the terminal; returns the
    file, or None when the log stays on the (redirected) stderr."""
    # sys.stderr read now, not when this module was imported: it may have been replaced.
    if not (stderr or sys.stderr).isatty():
        return None
    path = log_file_for(database_url, folder).absolute()
    handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    root = logging.getLogger()
    for previous in root.handlers:  # the same format and the same redaction of secrets
        handler.setFormatter(previous.formatter)
        for kept in previous.filters:
            handler.addFilter(kept)
    root.handlers[:] = [handler]
    return str(path)
