"""Resource links: duplicate keys recomputed, trackers taken out of published links.

The duplicate key now also ignores "www.", http versus https and percent
escapes written another way (bot/resources/urls.py), and the published link
loses its tracking parameters. Existing rows get both.

Two rows can now have one key: the same page, suggested once as
"https://www.cdc.gov/x" and once as "https://cdc.gov/x". Both are kept. The
key goes to one of them (a row whose key is unchanged, else an approved one,
else the oldest); the others keep the new key as text, but their hash is
salted with their id, so the unique constraint holds and a new suggestion of
that page is told about the one that holds the key. A row whose link the
current rules refuse is left as it is.

This uses the bot's own normalizer on purpose: stored keys must be what the
running bot computes. A later change of those rules comes with a migration of
its own that recomputes them again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

from bot.errors import UserError
from bot.resources.urls import normalize_url

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_RESOURCES = sa.table(
    "resources",
    sa.column("id", sa.Integer),
    sa.column("url", sa.String),
    sa.column("url_key", sa.String),
    sa.column("url_hash", sa.String),
    sa.column("status", sa.String),
)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            _RESOURCES.c.id,
            _RESOURCES.c.url,
            _RESOURCES.c.url_key,
            _RESOURCES.c.url_hash,
            _RESOURCES.c.status,
        )
    ).all()
    wanted: dict[int, tuple[str, str]] = {}
    for row in rows:
        try:
            wanted[row.id] = normalize_url(row.url)
        except UserError:
            continue  # accepted by older rules: left alone, it still holds its old key
    kept = {row.url_hash for row in rows if row.id not in wanted}
    # Who keeps a contested key: a row that had it already, then the library, then the oldest.
    order = sorted(
        (row for row in rows if row.id in wanted),
        key=lambda row: (
            _hash(wanted[row.id][1]) != row.url_hash,
            row.status != "approved",
            row.id,
        ),
    )
    changes = []
    for row in order:
        url, key = wanted[row.id]
        hashed = _hash(key)
        if hashed in kept:
            hashed = _hash(f"{key}\n{row.id}")  # the same page as a row that keeps the key
        kept.add(hashed)
        if (url, key, hashed) != (row.url, row.url_key, row.url_hash):
            changes.append({"row_id": row.id, "new_url": url, "new_key": key, "new_hash": hashed})
    if not changes:
        return
    by_id = _RESOURCES.c.id == sa.bindparam("row_id")
    # First a placeholder unique to each row, so no row takes a hash another still holds.
    bind.execute(
        sa.update(_RESOURCES).where(by_id).values(url_hash=sa.bindparam("placeholder")),
        [{"row_id": c["row_id"], "placeholder": f"migrating-{c['row_id']}"} for c in changes],
    )
    bind.execute(
        sa.update(_RESOURCES)
        .where(by_id)
        .values(
            url=sa.bindparam("new_url"),
            url_key=sa.bindparam("new_key"),
            url_hash=sa.bindparam("new_hash"),
        ),
        changes,
    )


def downgrade() -> None:
    # Kept as they are: the older code then misses some duplicates it would have
    # caught, but loses nothing, and a link without trackers is the same page.
    pass
