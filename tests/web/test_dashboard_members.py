"""The member list on the dashboard: the directory's fields, roles and platforms, its
filters and pages, its CSV with the configured columns, and nobody unlisted, ever."""

from __future__ import annotations

import csv
import io

import pytest
from pydantic import ValidationError

from bot.config import Config, WebSettings
from storage import Storage
from tests.harness import Harness
from tests.web.dashboard_support import WEB, dashboard_harness, link_for, sign_in
from tests.web.support import web_client

MEMBERS = "/dashboard/members"


async def coalition(harness: Harness) -> None:
    """Admin, Dana (coordinator), Maria (Southwest), Hidden Hal (not listed), and Lee,
    whose organization is markup."""
    await harness.join("admin", "Admin")
    await harness.join("dana", "Dana Reyes", region="Northeast", discipline="Policy")
    await harness.join("maria", "Maria Lopez", region="Southwest", interests="Housing, Food Access")
    await harness.join("hal", "Hidden Hal", region="Southwest")
    await harness.say("hal", "profile edit listed=no")
    await harness.join("lee", "Lee Park", organization="<script>alert(1)</script>")
    await harness.say("admin", "role grant @dana coordinator")


def names_in(page: str) -> list[str]:
    import re

    return re.findall(r'<th scope="row">([^<]+)</th>', page)


def rows_of(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


async def test_the_list_shows_directory_fields_roles_and_platforms(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await coalition(harness)
    async with web_client(harness) as client:
        await sign_in(client, await link_for(harness))
        response = await client.get(MEMBERS)
        page = await response.text()
    assert response.status == 200
    assert names_in(page) == ["Admin", "Dana Reyes", "Lee Park", "Maria Lopez"]
    assert "Hidden Hal" not in page
    assert "Housing, Food Access" in page and "Terminal" in page
    assert "<td>Admin</td>" in page and "<td>Coordinator</td>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "4 members found" in page


async def test_filters_search_and_role(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await coalition(harness)
    async with web_client(harness) as client:
        await sign_in(client, await link_for(harness))

        async def names(**query: str) -> list[str]:
            return names_in(await (await client.get(MEMBERS, params=query)).text())

        assert await names(region="Southwest") == ["Maria Lopez"]
        assert await names(discipline="Policy") == ["Dana Reyes"]
        assert await names(role="coordinator") == ["Dana Reyes"]
        assert await names(q="maria") == ["Maria Lopez"]
        assert await names(organization="lopez health") == ["Maria Lopez"]
        assert await names(q="hidden") == []
        assert await names(q="x" * 10_000, page="abc") == []
        odd = await (await client.get(MEMBERS, params={"q": '#"<', "page": "-3"})).text()
    assert "No listed member matches that." in odd and "is not a page number" in odd


async def test_pages_of_twenty(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage, WEB.model_copy(update=dict(admins=("console:dana",))))
    await harness.join("dana", "Dana Reyes")
    for number in range(22):
        await harness.join(f"m{number:02}", f"Member {number:02}", region="West")
    async with web_client(harness) as client:
        await sign_in(client, await link_for(harness))
        first = await (await client.get(MEMBERS, params={"region": "West"})).text()
        second = await (await client.get(MEMBERS, params={"region": "West", "page": "2"})).text()
        past = await (await client.get(MEMBERS, params={"region": "West", "page": "9"})).text()
    assert len(names_in(first)) == 20 and "23 members found" in first
    assert 'href="/dashboard/members?region=West&amp;page=2"' in first
    assert names_in(second) == ["Member 19", "Member 20", "Member 21"]
    assert "There is no page 9: the last page is 2." in past


async def test_the_csv_holds_the_configured_columns_and_nobody_unlisted(
    storage: Storage,
) -> None:
    harness, _ = dashboard_harness(storage)
    await coalition(harness)
    async with web_client(harness) as client:
        await sign_in(client, await link_for(harness))
        default = await client.get(MEMBERS + ".csv")
        body = await default.read()
        southwest = rows_of(await (await client.get(MEMBERS + ".csv?region=Southwest")).read())
    assert default.headers["Content-Disposition"] == 'attachment; filename="members.csv"'
    rows = rows_of(body)
    assert list(rows[0]) == ["name", "organization", "region", "discipline"]
    assert [row["name"] for row in rows] == ["Admin", "Dana Reyes", "Lee Park", "Maria Lopez"]
    assert b"Hidden Hal" not in body
    assert [row["name"] for row in southwest] == ["Maria Lopez"]


async def test_more_columns_only_when_the_config_allows_and_formulas_stay_text(
    storage: Storage,
) -> None:
    wide = WEB.model_copy(
        update=dict(
            web=WebSettings(
                enabled=True,
                public_url="http://localhost:8080",
                members_csv_fields=("name", "role", "platforms", "joined", "interests"),
            ),
        )
    )
    harness, _ = dashboard_harness(storage, wide)
    await coalition(harness)
    await harness.say("maria", 'profile edit organization="=HYPERLINK(1)"')
    async with web_client(harness) as client:
        await sign_in(client, await link_for(harness))
        rows = rows_of(await (await client.get(MEMBERS + ".csv")).read())
    dana = next(row for row in rows if row["name"] == "Dana Reyes")
    assert dana == {
        "name": "Dana Reyes",
        "role": "coordinator",
        "platforms": "Terminal",
        "joined": harness.clock.now().date().isoformat(),
        "interests": "",
    }
    assert "organization" not in rows[0]
    maria = next(row for row in rows if row["name"] == "Maria Lopez")
    assert maria["interests"] == "Housing; Food Access"


async def test_a_formula_in_a_cell_is_kept_as_text(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await coalition(harness)
    await harness.say("maria", 'profile edit organization="=HYPERLINK(1)"')
    async with web_client(harness) as client:
        await sign_in(client, await link_for(harness))
        rows = rows_of(await (await client.get(MEMBERS + ".csv")).read())
    assert next(r for r in rows if r["name"] == "Maria Lopez")["organization"] == "'=HYPERLINK(1)"


def test_an_unknown_csv_column_is_refused_when_the_config_is_read() -> None:
    with pytest.raises(
        ValidationError, match=r"choose one or more of name, .*\(email is not one\)"
    ):
        Config(web=WebSettings(members_csv_fields=("name", "email")))
    assert Config().web.members_csv_fields == ("name", "organization", "region", "discipline")


async def test_nobody_outside_or_revoked_sees_a_member(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await coalition(harness)
    async with web_client(harness) as client:
        for path in (MEMBERS, MEMBERS + ".csv"):
            response = await client.get(path)
            assert response.status == 401 and "Maria" not in await response.text()
        await sign_in(client, await link_for(harness))
        assert (await client.get(MEMBERS)).status == 200
        await harness.say("admin", "role revoke member=@dana role=coordinator")
        for path in (MEMBERS, MEMBERS + ".csv"):
            response = await client.get(path)
            assert response.status == 401 and "Maria" not in await response.text()
    maria_link = await harness.say("maria", "dashboard")
    assert "coordinator" in str(maria_link.message.fallback_text() if maria_link.message else "")


async def test_the_new_pages_carry_the_headers_and_are_never_cached(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await coalition(harness)
    await harness.say("maria", 'resource suggest url=https://example.org/a title="A" type=toolkit')
    async with web_client(harness) as client:
        await sign_in(client, await link_for(harness))
        paths = (MEMBERS, MEMBERS + ".csv", "/dashboard/joins", "/dashboard/review/1/edit")
        responses = [await client.get(path) for path in paths]
    for path, response in zip(paths, responses, strict=True):
        assert response.status == 200, path
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy, path
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Cache-Control"] == "no-store", path
