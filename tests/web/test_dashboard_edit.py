"""Edit in the review queue: the chat's `resource edit` through the dispatcher, with its
errors beside their field, CSRF, Post/Redirect/Get and escaping."""

from __future__ import annotations

import re

from storage import Storage
from tests.harness import Harness
from tests.web.dashboard_support import (
    Client,
    csrf_of,
    dashboard_harness,
    link_for,
    queue_of_one,
    sign_in,
)
from tests.web.support import web_client

EDIT = "/dashboard/review/1/edit"


async def signed_in_client(client: Client, harness: Harness) -> str:
    await sign_in(client, await link_for(harness))
    return await csrf_of(client)


def current_values(page: str) -> dict[str, str]:
    """The pre-filled values of the form's one-line fields."""
    return dict(re.findall(r'<input id="field-[a-z]+" name="([a-z]+)" value="([^"]*)"', page))


async def title_of(harness: Harness, number: int = 1) -> str:
    async with harness.storage.unit_of_work() as uow:
        resource = await uow.resources.get(number)
    assert resource is not None
    return resource.title


async def test_the_edit_form_is_the_chats_with_the_current_values(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    async with web_client(harness) as client:
        await signed_in_client(client, harness)
        queue = await (await client.get("/dashboard/review")).text()
        assert f'href="{EDIT}"' in queue
        response = await client.get(EDIT)
        page = await response.text()
    assert response.status == 200
    values = current_values(page)
    assert values["title"] == "Housing and Health Toolkit"
    assert values["url"].startswith("https://")
    assert "Steps for health departments" in page  # the description, in its textarea
    assert '<option value="toolkit" selected>' in page
    for label in ("Title", "Link", "Description", "Type", "Topics", "Language"):
        assert f">{label}</label>" in page, label


async def test_saving_runs_the_core_edit_and_the_queue_says_so_once(storage: Storage) -> None:
    harness, chat = dashboard_harness(storage)
    await queue_of_one(harness)
    async with web_client(harness) as client:
        csrf = await signed_in_client(client, harness)
        response = await client.post(
            EDIT,
            data={"csrf": csrf, "title": "Housing & Health Toolkit, 2026", "topics": "housing"},
            allow_redirects=False,
        )
        assert response.status == 303 and response.headers["Location"] == "/dashboard/review"
        shown = await (await client.get("/dashboard/review")).text()
        assert "Saved your changes to Housing &amp; Health Toolkit, 2026" in shown
        again = await (await client.get("/dashboard/review")).text()
        assert "Saved your changes" not in again
    assert await title_of(harness) == "Housing & Health Toolkit, 2026"
    async with storage.unit_of_work() as uow:
        trail = await uow.resource_audit.history(1)
        resource = await uow.resources.get(1)
    assert resource is not None and resource.topics == (
        "Housing",
    )  # the list's own spelling, as in chat
    assert trail[0].action == "edited" and trail[0].by_name == "Dana Reyes"
    # The chat's review post shows the corrected title, as after an edit in chat.
    (_, card), *_ = chat.edits
    assert "Housing & Health Toolkit, 2026" in card.fallback_text()


async def test_a_bad_link_is_refused_beside_its_field_and_what_was_typed_stays(
    storage: Storage,
) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    async with web_client(harness) as client:
        csrf = await signed_in_client(client, harness)
        response = await client.post(
            EDIT, data={"csrf": csrf, "url": "not a link", "title": "Kept title"}
        )
        page = await response.text()
    assert response.status == 422
    found = re.search(r'<p class="error" id="error-url">([^<]+)</p>', page)
    assert found and "link" in found.group(1).lower(), page
    assert 'aria-describedby="hint-url error-url" aria-invalid="true"' in page
    assert current_values(page)["title"] == "Kept title"
    assert current_values(page)["url"] == "not a link"
    assert await title_of(harness) == "Housing and Health Toolkit"


async def test_a_suggestion_decided_in_chat_meanwhile_is_not_edited(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    async with web_client(harness) as client:
        csrf = await signed_in_client(client, harness)
        await harness.say("admin", "resource reject id=1 reason=Duplicate")
        # Sent back to the queue (303), which says why nothing was saved.
        shown = await (await client.post(EDIT, data={"csrf": csrf, "title": "Too late"})).text()
        page = await client.get(EDIT)
        assert page.status == 404 and "was rejected by Admin" in await page.text()
    assert "was rejected by Admin" in shown
    assert await title_of(harness) == "Housing and Health Toolkit"


async def test_an_edit_without_its_csrf_token_or_session_changes_nothing(
    storage: Storage,
) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    async with web_client(harness) as client:
        outside = await client.post(EDIT, data={"csrf": "x", "title": "Nope"})
        assert outside.status == 401
        assert "Housing" not in await (await client.get(EDIT)).text()
        await signed_in_client(client, harness)
        for data in ({"title": "Nope"}, {"csrf": "guessed", "title": "Nope"}):
            assert (await client.post(EDIT, data=data)).status == 403
    assert await title_of(harness) == "Housing and Health Toolkit"


async def test_the_edit_form_shows_user_text_as_text(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness, title="<script>alert(1)</script>", description="<b>x</b>")
    async with web_client(harness) as client:
        await signed_in_client(client, harness)
        page = await (await client.get(EDIT)).text()
        missing = await client.get("/dashboard/review/99/edit")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page
    assert missing.status == 404
