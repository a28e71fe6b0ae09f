"""Anonymous means anonymous: nothing in the schema ties an anonymous answer to a member.

An anonymous evaluation's answers are one row per occurrence (a shuffled list);
who answered is evaluation_respondents. This reads the models (the migrations match
them: test_migrations.py) and fails if an answer could be joined or ordered
against a respondent.
"""

from __future__ import annotations

from sqlalchemy import DateTime, Table

from storage.schema import Base, EvaluationAnonymousRow, EvaluationRespondentRow

ANSWERS: Table = EvaluationAnonymousRow.__table__  # type: ignore[assignment]
RESPONDENTS: Table = EvaluationRespondentRow.__table__  # type: ignore[assignment]


def test_answers_have_no_member_no_time_and_no_row_per_answer() -> None:
    assert {fk.column.table.name for fk in ANSWERS.foreign_keys} == {"evaluations"}
    assert not [c.name for c in ANSWERS.columns if "member" in c.name or "by" in c.name]
    assert not [c.name for c in ANSWERS.columns if isinstance(c.type, DateTime)]
    # Keyed by the occurrence: an answer joins a list, it never adds a row whose id
    # or place could follow the order people answered in.
    assert [c.name for c in ANSWERS.primary_key.columns] == ["evaluation_id", "occurrence"]
    assert not [c for c in ANSWERS.columns if c.autoincrement is True]


def test_respondents_say_only_who_answered() -> None:
    assert {c.name for c in RESPONDENTS.columns} == {"evaluation_id", "occurrence", "member_id"}
    shared = {c.name for c in RESPONDENTS.columns} & {c.name for c in ANSWERS.columns}
    assert shared == {"evaluation_id", "occurrence"}


def test_neither_keeps_a_sqlite_rowid() -> None:
    # A rowid would number rows in the order they came: the nth answer, the nth respondent.
    for table in (ANSWERS, RESPONDENTS):
        assert table.dialect_options["sqlite"]["with_rowid"] is False, table.name


def test_no_other_table_points_at_answers_or_respondents() -> None:
    for table in Base.metadata.tables.values():
        for fk in table.foreign_keys:
            assert fk.column.table.name not in {ANSWERS.name, RESPONDENTS.name}, table.name
