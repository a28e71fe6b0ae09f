"""The dashboard's audit trail: the library's changes and the role changes, filtered by
GET parameters, paged, and a sentence (never an error page) for a filter it cannot read."""

from __future__ import annotations

from datetime import timedelta

from bot.resources.model import AuditAction, AuditEntry
from storage import Storage
from tests.core.test_resources import button
from tests.harness import START, Harness
from tests.web.dashboard_support import (
    Client,
    csrf_of,
    dashboard_harness,
    link_for,
    queue_of_one,
    sign_in,
)
from tests.web.support import web_client


async def approved_in_chat(storage: Storage) -> Harness:
    """Admin made Dana a coordinator; Maria suggested; Dana approved."""
    harness, chat = dashboard_harness(storage)
    await queue_of_one(harness)
    posted = next(message for channel, message in chat.posts if channel == "coordinators")
    await harness.click("dana", button(posted, "resource.approve"))
    return harness


async def page_of(client: Client, query: str = "") -> str:
    response = await client.get("/dashboard/audit" + query)
    assert response.status == 200, query
    return (await response.text()).replace("\u202f", " ")


def rows_of(page: str) -> int:
    return max(0, page.count("<tr>") - 1)  # less the heading's


async def signed_in(client: Client, harness: Harness) -> None:
    await sign_in(client, await link_for(harness))
    await csrf_of(client)


async def test_the_trail_shows_library_changes_and_role_changes(storage: Storage) -> None:
    harness = await approved_in_chat(storage)
    async with web_client(harness) as client:
        await signed_in(client, harness)
        page = await page_of(client)
    assert rows_of(page) == 3
    assert "<td>Approved</td>" in page and "<td>Suggested</td>" in page
    assert "<td>Made a coordinator</td>" in page and "<td>Dana Reyes</td>" in page
    assert "Resource #1" in page and "Times are in" in page
    # Newest first: the approval, the suggestion, then the role given before both.
    cells = ("<td>Approved</td>", "<td>Suggested</td>", "<td>Made a coordinator</td>")
    assert page.index(cells[0]) < page.index(cells[1]) < page.index(cells[2])


async def test_each_filter_narrows_the_trail(storage: Storage) -> None:
    harness = await approved_in_chat(storage)
    async with web_client(harness) as client:
        await signed_in(client, harness)
        approvals = await page_of(client, "?action=approved")
        by_maria = await page_of(client, "?who=MARIA")
        roles = await page_of(client, "?action=role_granted")
        resource = await page_of(client, "?resource=1")
        other = await page_of(client, "?resource=2")
        today = await page_of(client, f"?from={START.date()}&to={START.date()}")
        later = await page_of(client, f"?from={(START + timedelta(days=1)).date()}")
        wildcard = await page_of(client, "?who=%25")
    assert rows_of(approvals) == 1 and "<td>Approved</td>" in approvals
    assert rows_of(by_maria) == 1 and "<td>Suggested</td>" in by_maria
    assert rows_of(roles) == 1 and "<td>Made a coordinator</td>" in roles
    assert rows_of(resource) == 2 and "Made a coordinator" not in resource.split("<table")[1]
    assert rows_of(other) == 0 and "Nothing recorded matches these filters." in other
    assert rows_of(today) == 3
    assert rows_of(later) == 0
    assert rows_of(wildcard) == 0  # a % typed is a character, not "anything"
    assert 'value="approved" selected' in approvals


async def test_bad_filters_get_a_sentence_and_a_normal_page(storage: Storage) -> None:
    harness = await approved_in_chat(storage)
    async with web_client(harness) as client:
        await signed_in(client, harness)
        cases = {
            "?action=exploded": "There is no action called",
            "?from=2026-13-01": "is not a date",
            "?to=yesterday": "is not a date",
            "?from=20260301": "is not a date",
            "?resource=abc": "is not a number from 1 to",
            "?resource=-1": "is not a number from 1 to",
            "?page=0": "is not a number from 1 to 400",
            "?page=" + "9" * 30: "is not a number from 1 to 400",
            "?who=" + "x" * 10_000: "A name is at most 80 characters",
            "?from=2026-03-05&to=2026-03-01": "ends (2026-03-01) before it starts",
            "?who=%23%22&action=%22%3E%3Cscript%3E": "There is no action called",
        }
        for query, words in cases.items():
            page = await page_of(client, query)
            assert words in page, query
            assert rows_of(page) >= 0 and "<script>" not in page.split("</head>")[1], query
        # Left out, the bad filter no longer narrows: the whole trail shows.
        assert rows_of(await page_of(client, "?action=exploded")) == 3


async def test_the_trail_is_paged(storage: Storage) -> None:
    harness = await approved_in_chat(storage)
    async with storage.unit_of_work() as uow:
        for minute in range(30):
            await uow.resource_audit.record(
                AuditEntry(
                    1, AuditAction.EDITED, None, "Dana Reyes", START + timedelta(minutes=minute + 1)
                )
            )
        await uow.commit()
    async with web_client(harness) as client:
        await signed_in(client, harness)
        first = await page_of(client)
        second = await page_of(client, "?page=2")
        beyond = await page_of(client, "?page=5")
        edits = await page_of(client, "?action=edited&page=2")
    assert rows_of(first) == 25 and 'href="/dashboard/audit?page=2"' in first
    assert rows_of(second) == 33 - 25 and 'rel="prev"' in second and 'rel="next"' not in second
    assert "Made a coordinator" in second
    assert rows_of(beyond) == 0
    assert rows_of(edits) == 5 and "action=edited" in edits


async def test_no_session_no_trail(storage: Storage) -> None:
    harness = await approved_in_chat(storage)
    async with web_client(harness) as client:
        response = await client.get("/dashboard/audit")
        assert response.status == 401 and "Made a coordinator" not in await response.text()
        await signed_in(client, harness)
        await harness.say("admin", "role revoke member=@dana role=coordinator")
        response = await client.get("/dashboard/audit?action=approved")
        assert response.status == 401 and "Approved" not in await response.text()


async def test_the_trail_in_spanish(storage: Storage) -> None:
    harness = await approved_in_chat(storage)
    async with web_client(harness) as client:
        await signed_in(client, harness)
        page = await page_of(client, "?lang=es&from=nunca")
    assert "Registro de cambios" in page and "no es una fecha" in page
