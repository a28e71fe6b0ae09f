"""The dashboard's peer matching page: the figures `/coalition match stats` gives, read by
the same core function, counts only (no member named), for coordinators only."""

from __future__ import annotations

import re

from storage import Storage
from tests.core.test_resources import setup
from tests.harness import Harness, text_of
from tests.web.dashboard_support import WEB, link_for, sign_in
from tests.web.matching_support import MATCHED, matched
from tests.web.support import web_client


def cells(page: str) -> list[list[str]]:
    """The table's body, row by row, as the cells' text."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [[c.strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in rows]


async def test_the_page_shows_what_match_stats_says_and_names_nobody(storage: Storage) -> None:
    harness = await matched(storage)
    chat = text_of(await harness.say("dana", "match stats"))
    assert "4 members are in peer matching. 1 of them is snoozed for now." in chat
    assert "1 group, 3 members; check-ins answered 2 of 3 (67%); met 1 (50%)." in chat
    async with web_client(harness) as client:
        await sign_in(client, await link_for(harness))
        response = await client.get("/dashboard/matching")
        page = await response.text()
    assert response.status == 200
    assert "4 members are in peer matching." in page
    assert "1 of them is snoozed for now." in page
    ((number, day, groups, members, answered, met),) = cells(page)
    assert (number, groups, members, answered, met) == ("1", "1", "3", "2 of 3 (67%)", "1 (50%)")
    assert day.endswith("2026") and "America/Chicago" in page
    assert not [name for name in MATCHED if name in page]
    # The nav names the page and marks it as the one shown.
    assert '<a href="/dashboard/matching" aria-current="page">Peer matching</a>' in page


async def test_before_any_round_and_in_spanish(storage: Storage) -> None:
    harness = Harness(storage, WEB)
    await setup(harness)
    async with web_client(harness) as client:
        await sign_in(client, await link_for(harness))
        page = await (await client.get("/dashboard/matching")).text()
        spanish = await (await client.get("/dashboard/matching?lang=es")).text()
    assert "0 members are in peer matching." in page and "No round has been held yet." in page
    assert "snoozed" not in page and "<table" not in page
    assert "<h1>Intercambio entre pares</h1>" in spanish, spanish
    assert "Todavía no se ha realizado ninguna ronda." in spanish


async def test_a_visitor_or_a_member_sees_no_figures(storage: Storage) -> None:
    harness = await matched(storage)
    async with web_client(harness) as client:
        response = await client.get("/dashboard/matching")
        assert response.status == 401
        assert "peer matching" not in (await response.text()).lower()
    refused = text_of(await harness.say("maria", "dashboard"))
    assert "/dashboard/login/" not in refused  # members get no link
