"""Anonymous means anonymous: nothing in the schema can tie an anonymous answer to a member.

An anonymous poll's answers are the counts on poll_options; who voted is poll_voters.
This reads the models (the migrations match them: test_migrations.py) and fails if
an answer row could be joined or ordered against a voter row.
"""

from __future__ import annotations

from sqlalchemy import DateTime, Table

from storage.schema import Base, PollOptionRow, PollVoterRow

ANSWERS: Table = PollOptionRow.__table__  # type: ignore[assignment]
VOTERS: Table = PollVoterRow.__table__  # type: ignore[assignment]


def test_answers_have_no_member_and_no_time() -> None:
    assert {fk.column.table.name for fk in ANSWERS.foreign_keys} == {"polls"}
    assert not [c.name for c in ANSWERS.columns if "member" in c.name or "by" in c.name]
    assert not [c.name for c in ANSWERS.columns if isinstance(c.type, DateTime)]


def test_answers_are_counts_not_a_row_per_vote() -> None:
    # Keyed by (poll, option): a vote changes a count, it never adds a row whose id or
    # place in the table could follow the order people voted in.
    assert [c.name for c in ANSWERS.primary_key.columns] == ["poll_id", "position"]
    assert "votes" in ANSWERS.columns
    assert not [c for c in ANSWERS.columns if c.autoincrement is True]


def test_voters_say_only_who_voted() -> None:
    assert {c.name for c in VOTERS.columns} == {"poll_id", "member_id"}
    assert not [c.name for c in VOTERS.columns if isinstance(c.type, DateTime)]
    # The only column the two tables share is the poll itself.
    shared = {c.name for c in VOTERS.columns} & {c.name for c in ANSWERS.columns}
    assert shared == {"poll_id"}


def test_no_other_table_points_at_answers_or_voters() -> None:
    for table in Base.metadata.tables.values():
        for fk in table.foreign_keys:
            assert fk.column.table.name not in {"poll_options", "poll_voters"}, table.name
