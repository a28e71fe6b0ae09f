"""The bot's one HTTP server: routes mounted while a platform serves, and gone after."""

from __future__ import annotations

import aiohttp
from aiohttp import web

from adapters.http import HttpServer


async def test_mounted_routes_come_and_go_and_own_routes_win() -> None:
    server = HttpServer("127.0.0.1", 0)

    async def own(request: web.Request) -> web.Response:
        return web.Response(text="own")

    async def events(request: web.Request) -> web.Response:
        return web.Response(text=f"events {await request.text()}")

    async def theirs(request: web.Request) -> web.Response:
        return web.Response(text="theirs")

    server.route("GET", "/healthz", own)
    platform = web.Application()
    platform.router.add_post("/slack/events", events)
    platform.router.add_get("/healthz", theirs)
    port = await server.start()
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            async with session.post(url + "/slack/events", data="x") as response:
                assert response.status == 404  # nothing mounted yet
            async with server.mounted(platform) as mounted_on:
                assert mounted_on == port
                async with session.post(url + "/slack/events", data="x") as response:
                    assert (response.status, await response.text()) == (200, "events x")
                async with session.get(url + "/slack/events") as response:
                    assert response.status == 405
                    assert response.headers["Allow"] == "POST"
                async with session.get(url + "/healthz") as response:
                    assert await response.text() == "own"
            async with session.post(url + "/slack/events", data="x") as response:
                assert response.status == 404  # unmounted when the platform stopped
    finally:
        await server.close()
