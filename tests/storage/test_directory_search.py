"""Directory search folds accents and case the same way on SQLite and PostgreSQL, a bare
word looks in names and organizations, and a page past the end says which is the last."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from bot.membership.folding import fold
from bot.membership.model import DirectoryQuery
from bot.roles import Role
from storage import Storage
from storage.migrate import alembic_config
from tests.harness import Harness, text_of
from tests.storage.test_members import NOW, profile, who

_ids = itertools.count()


async def test_accents_and_case_do_not_matter(storage: Storage) -> None:
    harness = Harness(storage)
    await harness.join("maria", "María José Núñez", organization="Cook County Health")
    await harness.join("sam", "Sam Cooksey", organization="Lake County")
    await harness.join("ana", "Ana Ruiz", organization="Condado de Bexar")

    for typed in ("directory maria", "directory MARÍA", "directory name=nunez", "directory josé"):
        found = text_of(await harness.say("sam", typed))
        assert "1 member found" in found and "María José Núñez" in found, typed
    # A bare word looks in names and organizations alike; every word must match.
    cook = text_of(await harness.say("sam", "directory Cook"))
    assert "2 members found" in cook and "Sam Cooksey" in cook and "Núñez" in cook
    both = text_of(await harness.say("sam", "directory cook maria"))
    assert "1 member found" in both and "Núñez" in both
    assert "Ana Ruiz" in text_of(await harness.say("sam", "directory organization=BÉXAR"))
    # Naming a member takes the same folding.
    assert "María José Núñez" in text_of(
        await harness.say("sam", 'profile view "maria jose nunez"')
    )


async def test_a_page_past_the_end_names_the_last_page(storage: Storage) -> None:
    harness = Harness(storage)
    for n in range(12):
        await harness.join(f"user{n}", f"Person {n:02d}", region="West")
    reply = await harness.say("user0", "directory region=West page=99")
    said = text_of(reply)
    assert "12 members found" in said
    assert "There is no page 99: the last page is 2" in said
    # The same search, with the last page: the filter typed is kept.
    assert "/coalition directory region=West page=2" in said
    assert "Page 99 of" not in said
    last = text_of(await harness.say("user0", "directory region=West page=2"))
    assert "Person 11" in last and "For the next one" not in last


names = st.text(
    alphabet=st.sampled_from("aeiouAEIOUáéíóúÁÉÍÓÚñÑçÇüÜøØåÅłŁßẞ-' " + "İıǅ한국"),
    min_size=1,
    max_size=25,
).filter(lambda name: fold(name).strip() != "")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=names, organization=names)
async def test_a_folded_search_finds_the_member(
    storage: Storage, name: str, organization: str
) -> None:
    user = f"U{next(_ids)}"
    async with storage.unit_of_work() as uow:
        member = await uow.members.add(
            profile(name, organization=organization), who(user), pending=False, at=NOW
        )
        await uow.commit()
    async with storage.unit_of_work() as uow:
        by_words = await uow.members.search(DirectoryQuery(words=fold(name), per_page=500))
        by_name = await uow.members.search(DirectoryQuery(name=name.upper(), per_page=500))
        by_org = await uow.members.search(
            DirectoryQuery(organization=fold(organization), per_page=500)
        )
        named = await uow.members.by_name(fold(name))
    for found in (by_words, by_name, by_org):
        assert member.id in {entry.id for entry in found.members}
    assert member.id in {m.id for m in named}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(typed=st.text(max_size=60), option=st.sampled_from(["words", "name", "organization"]))
async def test_any_search_input_gets_an_answer(storage: Storage, typed: str, option: str) -> None:
    harness = Harness(storage)
    await harness.join("maria", "María López")
    given: dict[str, Any] = {option: typed}
    reply = await harness.run("maria", ("directory",), **given)
    said = text_of(reply)
    assert "went wrong" not in said and "can't reach my database" not in said, said


async def test_the_migration_folds_existing_keys(storage: Storage) -> None:
    from alembic import command

    async with storage.engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), "0008"))
        await connection.execute(
            text(
                "INSERT INTO members (display_name, name_key, organization, organization_key,"
                " jurisdiction, discipline, region, timezone, language, listed, dm_reminders,"
                " status, role, joined_at, updated_at) VALUES ('María Núñez', 'maría núñez',"
                " 'Condado de Béxar', 'condado de béxar', '', '', '', 'UTC', 'es', true, true,"
                " 'active', 'member', :now, :now)"
            ),
            {"now": NOW},
        )
    await storage.upgrade()
    async with storage.unit_of_work() as uow:
        found = await uow.members.search(DirectoryQuery(words="maria bexar"))
    assert [entry.display_name for entry in found.members] == ["María Núñez"]


async def test_migration_0017_folds_a_dotless_i_already_stored(storage: Storage) -> None:
    from alembic import command

    async with storage.engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), "0016"))
        await connection.execute(
            text(
                "INSERT INTO members (display_name, name_key, organization, organization_key,"
                " jurisdiction, discipline, region, timezone, language, listed, dm_reminders,"
                " dm_platform, status, role, joined_at, updated_at) VALUES ('Işıl Yılmaz',"
                " 'isıl yılmaz', 'Kırklareli', 'kırklareli', '', '', '', 'UTC', 'en', true,"
                " true, '', 'active', 'member', :now, :now)"
            ),
            {"now": NOW},
        )
    await storage.upgrade()
    async with storage.unit_of_work() as uow:
        found = await uow.members.search(DirectoryQuery(words="ISIL YILMAZ KIRKLARELI"))
    assert [entry.display_name for entry in found.members] == ["Işıl Yılmaz"]


async def test_the_role_filter_and_a_page_read_in_one_query(storage: Storage) -> None:
    # The dashboard's member list: the directory by role (as granted in chat), then its
    # page's members in full with get_many; unknown ids are left out.
    harness = Harness(storage)
    await harness.join("admin", "Admin")
    await harness.join("dana", "Dana Reyes")
    await harness.join("maria", "Maria Lopez")
    await harness.say("admin", "role grant @dana coordinator")
    async with storage.unit_of_work() as uow:
        coordinators = await uow.members.search(DirectoryQuery(role=Role.COORDINATOR))
        members = await uow.members.search(DirectoryQuery(role=Role.MEMBER))
        admins = await uow.members.search(DirectoryQuery(role=Role.ADMIN))  # config only
        ids = [entry.id for entry in members.members]
        found = await uow.members.get_many([*ids, 999])
        assert await uow.members.get_many([]) == {}
    assert [e.display_name for e in coordinators.members] == ["Dana Reyes"]
    assert [e.display_name for e in members.members] == ["Admin", "Maria Lopez"]
    assert admins.total == 0
    assert sorted(found) == sorted(ids)
    assert {m.name for m in found.values()} == {"Admin", "Maria Lopez"}
    assert all(m.identities for m in found.values())
