"""Directory: search keys without accents, so "maria" finds "María" on both databases.

The keys were lower-cased names and organizations; they are now folded as
bot/membership/folding.py does (case folded, accents and invisible characters
dropped, spaces collapsed). The fold is repeated here: a migration must not
change when that module does.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_DROPPED = frozenset({"Mn", "Cc", "Cf", "Cs"})
_members = sa.table(
    "members",
    sa.column("id", sa.Integer),
    sa.column("display_name", sa.String),
    sa.column("organization", sa.String),
    sa.column("name_key", sa.String),
    sa.column("organization_key", sa.String),
)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.casefold())
    kept = "".join(c for c in decomposed if unicodedata.category(c) not in _DROPPED)
    return " ".join(unicodedata.normalize("NFC", kept).split())


def _rekey(*, fold: bool) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_members.c.id, _members.c.display_name, _members.c.organization)
    ).all()
    update = (
        sa.update(_members)
        .where(_members.c.id == sa.bindparam("member_id"))
        .values(name_key=sa.bindparam("folded_name"), organization_key=sa.bindparam("folded_org"))
    )
    keys = [
        {
            "member_id": row.id,
            "folded_name": (_fold(row.display_name) if fold else row.display_name.lower())[:80],
            "folded_org": (_fold(row.organization) if fold else row.organization.lower())[:120],
        }
        for row in rows
    ]
    if keys:
        connection.execute(update, keys)


def upgrade() -> None:
    _rekey(fold=True)


def downgrade() -> None:
    _rekey(fold=False)
