"""What is wrong with the database setting, in sentences an operator can act on.

`checked_url` refuses a URL no supported driver can open before anything imports
a driver (an unknown one would end in ModuleNotFoundError); `explain` turns what
opening the database raised (no such database or user, nothing listening, a
folder that does not exist) into one sentence that says what to change.
"""

from __future__ import annotations

import os
import socket
import sqlite3
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL

from storage.database import database_url

# Where the URL comes from, so every sentence can say what to edit.
WHERE = "COALITION_DATABASE_URL or [database] url in config.toml"
EXAMPLES = (
    "sqlite+aiosqlite:///coalition.db (a file here) or postgresql+asyncpg://USER@HOST:5432/DATABASE"
)
SUPPORTED = {"sqlite+aiosqlite", "postgresql+asyncpg"}

# PostgreSQL's SQLSTATE codes for a refused connection.
NO_DATABASE = "3D000"
NO_ROLE = "28000"
BAD_PASSWORD = "28P01"


class DatabaseProblem(Exception):
    """The database cannot be used as configured; str() says why and what to do."""


def checked_url(url: str, password: SecretStr | None = None) -> URL:
    """The URL the bot will open, or DatabaseProblem naming what is wrong with it."""
    try:
        parsed = database_url(url, password)
    except sa_exc.ArgumentError:
        raise DatabaseProblem(
            f"The database URL {url!r} is not a URL. Set {WHERE} to one like {EXAMPLES}."
        ) from None
    if parsed.drivername not in SUPPORTED:
        raise DatabaseProblem(
            f"The database URL starts with {parsed.drivername}://, a database the bot cannot "
            f"use: it works with SQLite and PostgreSQL. Set {WHERE} to a URL like {EXAMPLES}."
        )
    return parsed


def missing_file(url: URL) -> None:
    """DatabaseProblem if `url` is a SQLite file that does not exist (opening would create it)."""
    if url.get_backend_name() != "sqlite" or url.database in {None, "", ":memory:"}:
        return
    path = Path(str(url.database))
    if not path.is_file():
        raise DatabaseProblem(
            f"There is no database at {str(path.resolve())!r}. Run this command in the folder "
            f"where the bot runs, or set {WHERE} to the bot's database."
        )


def sqlite_unusable(url: URL) -> str | None:
    """Why the bot could not open or create this SQLite file, without creating it."""
    path = Path(str(url.database or ""))
    if str(path) in {"", ":memory:"}:
        return None
    if path.exists():
        if os.access(path, os.R_OK | os.W_OK):
            return None
        return f"This user may not read and write the SQLite database file {str(path)!r}."
    folder = path.resolve().parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        return (
            f"The bot cannot create its SQLite database file {str(path)!r}: the folder "
            f"{str(folder)!r} does not exist or this user may not write in it. Create the "
            f"folder, or set {WHERE} to a file in another one."
        )
    return None


def explain(error: BaseException, url: URL) -> str | None:
    """A sentence for an error met while opening the database; None if it is not one."""
    shown = url.render_as_string(hide_password=True)
    state = _sqlstate(error)
    if state == NO_DATABASE:
        return (
            f"PostgreSQL at {url.host}:{url.port or 5432} has no database {url.database!r}. "
            f"Create it (createdb {url.database}), or correct the database name in {WHERE}."
        )
    if state in {NO_ROLE, BAD_PASSWORD}:
        return (
            f"PostgreSQL at {url.host}:{url.port or 5432} refused the user {url.username!r}: "
            f"{_innermost(error)}. Check the user name in {WHERE}, and the password in "
            "COALITION_DATABASE_PASSWORD."
        )
    if _caused_by(error, socket.gaierror):
        return (
            f"Cannot find the database host {url.host!r} (from {shown}): check its spelling "
            f"in {WHERE}, and this machine's network."
        )
    if url.get_backend_name() == "sqlite" and _caused_by(error, sqlite3.OperationalError):
        folder = Path(url.database or ".").parent
        return (
            f"Cannot open the SQLite database file {url.database!r}: {_innermost(error)}. "
            f"Check that the folder {str(folder)!r} exists and that this user may write in it, "
            f"or set {WHERE} to another file."
        )
    if _caused_by(error, OSError) or _caused_by(error, TimeoutError):
        return (
            f"Cannot reach the database at {shown}: {_innermost(error)}. Check that it is "
            f"running and that the host and port in {WHERE} are right."
        )
    if isinstance(error, sa_exc.DBAPIError):
        return f"The database at {shown} refused to open: {_innermost(error)}."
    return None


def _chain(error: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in found:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def _sqlstate(error: BaseException) -> str | None:
    for link in _chain(error):
        state = getattr(link, "sqlstate", None)
        if isinstance(state, str):
            return state
    return None


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    return any(isinstance(link, kind) for link in _chain(error))


def _innermost(error: BaseException) -> str:
    """The driver's own words, without SQLAlchemy's wrapping and background link."""
    message = str(_chain(error)[-1]).strip()
    return message.splitlines()[0] if message else type(error).__name__
