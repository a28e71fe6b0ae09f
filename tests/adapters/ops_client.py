"""Reading the bot's HTTP port as a probe and Prometheus would: over a real socket."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def get_json(session: aiohttp.ClientSession, url: str) -> tuple[int, Any]:
    async with session.get(url) as response:
        return response.status, await response.json()


async def scrape(session: aiohttp.ClientSession, url: str) -> Samples:
    """Every sample of /metrics, by name and labels."""
    async with session.get(url + "/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        body = await response.text()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def sample(samples: Samples, metric: str, /, **labels: str) -> float | None:
    return samples.get((metric, frozenset(labels.items())))


async def until_ready(session: aiohttp.ClientSession, url: str) -> Any:
    """/readyz's JSON once it answers 200: polled, as a probe does (bound it with a timeout)."""
    while True:
        status, body = await get_json(session, url + "/readyz")
        if status == 200:
            return body
        await asyncio.sleep(0.05)
