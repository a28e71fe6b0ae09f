"""A web application over real storage, and a library to show in it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.bootstrap import App
from adapters.web import web_application
from bot.config import Config, Secrets
from bot.delivery import Broadcaster
from tests.core.test_resources import button, review_post, setup, suggest
from tests.harness import Harness


def app_of(harness: Harness) -> App:
    """The App `build_app` would give, over the harness's storage, clock and dispatcher."""
    return App(
        harness.config, Secrets(), harness.storage, harness.dispatcher, Broadcaster(), harness.clock
    )


@asynccontextmanager
async def web_client(
    harness: Harness, config: Config | None = None
) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    app = app_of(harness)
    if config is not None:
        app.config = config
    client = TestClient(TestServer(web_application(app, app.config.web)))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


async def approved(harness: Harness, url: str, **fields: str) -> None:
    """Maria suggests a resource (typed options, so any text goes) and Dana approves it."""
    values: dict[str, Any] = {
        "url": url,
        "title": "Housing and Health Toolkit",
        "description": "Steps for health departments working with housing authorities",
        "type": "toolkit",
        "topics": "housing, eviction prevention",
        **fields,
    }
    await harness.run("maria", ("resource", "suggest"), **values)
    await harness.click("dana", button(review_post(harness).message, "resource.approve"))


async def small_library(harness: Harness) -> None:
    """Three approved resources (one in Spanish, one with markup in its title), one pending."""
    await setup(harness)
    await approved(harness, "https://example.org/housing", title="Housing and Health Toolkit")
    await approved(
        harness,
        "https://example.org/salud",
        title="Guía de salud materna",
        type="research",
        topics="Maternal & Child Health",
        description="Investigación sobre salud materna",
        language="es",
    )
    await approved(
        harness,
        "https://example.org/script",
        title="<script>alert(1)</script>",
        description='Quotes " and <b>tags</b> & ampersands',
        type="policy",
    )
    await suggest(harness, "https://example.org/pending", title="Still pending review")
