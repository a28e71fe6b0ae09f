"""A coordinator signed in to the dashboard with a link asked for in chat."""

from __future__ import annotations

import re

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient

from bot.config import Config, WebSettings
from storage import Storage
from tests.core.test_resources import FlakyPoster, setup, suggest
from tests.harness import Harness, text_of

WEB = Config(web=WebSettings(enabled=True, public_url="http://localhost:8080"))
LINK = re.compile(r"http://localhost:8080(/dashboard/login/[A-Za-z0-9_-]+)")

Client = TestClient[web.Request, web.Application]


def dashboard_harness(storage: Storage, config: Config = WEB) -> tuple[Harness, FlakyPoster]:
    """A harness whose chat keeps its review posts, so their updates can be seen."""
    harness = Harness(storage, config)
    poster = FlakyPoster(down=False)
    harness.dispatcher.broadcaster.connect(poster)
    return harness, poster


async def queue_of_one(harness: Harness, **fields: str) -> None:
    """Admin, Dana (coordinator) and Maria, and one suggestion of Maria's waiting."""
    await setup(harness)
    await suggest(harness, **fields)


async def link_for(harness: Harness, user: str = "dana") -> str:
    """The path of the sign-in link `user` gets by typing /coalition dashboard."""
    reply = await harness.say(user, "dashboard")
    assert reply.private
    found = LINK.search(text_of(reply))
    assert found, text_of(reply)
    return found.group(1)


async def press_sign_in(client: Client, path: str) -> ClientResponse:
    """Open the link's page, then press its Sign in button (as a browser does)."""
    page = await (await client.get(path)).text()
    found = re.search(r'name="binding" value="([^"]+)"', page)
    data = {"binding": found.group(1)} if found else {}
    return await client.post(path, data=data, allow_redirects=False)


async def sign_in(client: Client, path: str) -> None:
    response = await press_sign_in(client, path)
    assert response.status == 303, await response.text()


async def csrf_of(client: Client) -> str:
    page = await (await client.get("/dashboard/review")).text()
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page
    return found.group(1)
