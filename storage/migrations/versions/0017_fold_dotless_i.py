"""Directory keys: Turkish dotless "ı" folds to "i", as its capital "I" does.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # replace() is the same function on SQLite and PostgreSQL. Literal SQL, without
    # parameters, so tests can replay the migrations' statements (tests/pg_schemas.py).
    op.execute(
        "UPDATE members SET name_key = replace(name_key, 'ı', 'i'), "
        "organization_key = replace(organization_key, 'ı', 'i')"
    )


def downgrade() -> None:
    pass  # the old keys cannot be told apart from names with a real "i"; both fold alike
