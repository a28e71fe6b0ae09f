"""What `coalition-bot run` serves for its operators: /healthz, /readyz and /metrics.

- /healthz: the process is alive and its event loop answers (200).
- /readyz: the database answers, each platform started is connected, and the
  scheduler runs; also whether this instance leads (runs the reminders), and
  which instance does ("leader_instance": its name, null if none does or the
  database cannot say; on PostgreSQL, the holder of the scheduler's lock). 200
  when all are up, 503 otherwise, with the same JSON either way. A standby
  replica (not the leader) is ready: it serves commands.
- /metrics: Prometheus text (adapters/metrics.py).

The terminal (`coalition-bot console`, and `run` without tokens) serves none of
it: it is one person trying the bot, with nothing to probe or scrape, and a
second terminal would find the port taken.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text

from adapters.http import HttpServer
from adapters.metrics import Metrics
from adapters.platform import Runner
from adapters.web.app import web_application
from storage.status import DeliveryCounts, delivery_counts

if TYPE_CHECKING:
    from adapters.bootstrap import App

log = logging.getLogger(__name__)
CHECK_TIMEOUT = 2.0  # seconds a probe waits for the database before saying it is down
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"


class Operations:
    def __init__(self, app: App, runners: Sequence[Runner], metrics: Metrics) -> None:
        self.app = app
        self.runners = runners
        self.metrics = metrics

    def add_routes(self, server: HttpServer) -> None:
        server.route("GET", HEALTH_PATH, self.healthz)
        server.route("GET", READY_PATH, self.readyz)
        server.route("GET", METRICS_PATH, self.scrape)

    async def healthz(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def readyz(self, request: web.Request) -> web.Response:
        ready, body = await self.readiness()
        return web.json_response(body, status=200 if ready else 503)

    async def scrape(self, request: web.Request) -> web.Response:
        counts: DeliveryCounts | None = None
        try:
            async with asyncio.timeout(CHECK_TIMEOUT):
                counts = await delivery_counts(self.app.storage)
        except Exception as error:  # the scrape still reports everything else
            self.metrics.database_unreachable(error)
            log.warning("metrics: could not read the delivery claims (%s)", type(error).__name__)
        scheduler = self.app.scheduler
        leader = scheduler is not None and scheduler.is_leader
        body = self.metrics.exposition(counts, self.app.clock.now(), leader)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def readiness(self) -> tuple[bool, dict[str, Any]]:
        """Whether every part is up, and the JSON that says which are."""
        checks: dict[str, dict[str, Any]] = {"database": await self._database()}
        scheduler = self.app.scheduler
        running = scheduler is not None and scheduler.running
        checks["scheduler"] = {"ok": running}
        for runner in self.runners:
            checks[runner.platform] = {"ok": await self._connected(runner)}
        ready = all(check["ok"] for check in checks.values())
        body: dict[str, Any] = {
            "ready": ready,
            "instance": scheduler.owner if scheduler is not None else None,
            "leader": bool(scheduler is not None and scheduler.is_leader),
            "leader_instance": await self._leader(),
            "checks": checks,
        }
        return ready, body

    async def _database(self) -> dict[str, Any]:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT):
                async with self.app.storage.engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
        except Exception as error:  # any failure to answer in time means "down"
            self.metrics.database_unreachable(error)
            return {"ok": False, "error": type(error).__name__}
        return {"ok": True}

    async def _leader(self) -> str | None:
        scheduler = self.app.scheduler
        if scheduler is None:
            return None
        try:
            async with asyncio.timeout(CHECK_TIMEOUT):
                return await scheduler.leadership.leader()
        except Exception as error:  # the database check above says why
            log.debug("readiness: could not say which instance leads (%s)", error)
            return None

    async def _connected(self, runner: Runner) -> bool:
        """Its poster is registered (it started and has not stopped) and, if the runner
        can tell, its connection is open now."""
        if runner.platform not in self.app.broadcaster.platforms:
            return False
        connected = getattr(runner, "connected", None)
        if connected is None:
            return True
        try:
            return bool(await connected())
        except Exception:
            return False


@asynccontextmanager
async def operations(
    app: App, runners: Sequence[Runner], host: str, port: int
) -> AsyncIterator[HttpServer]:
    """Metrics wired into the app and the HTTP server listening, for the block.

    Raises OSError if the port cannot be listened on.
    """
    metrics = Metrics()
    # The public pages, when on, are the server's root: same port, their headers.
    pages = web_application(app, app.config.web) if app.config.web.enabled else None
    server = HttpServer(host, port, pages)
    Operations(app, runners, metrics).add_routes(server)
    app.metrics, app.http = metrics, server
    app.dispatcher.observer = metrics
    stop_database = metrics.watch_database(app.storage.engine)
    stop_discord = metrics.discord_rate_limits()
    try:
        await server.start()
        log.info(
            "HTTP: listening on port %d (%s, %s, %s)",
            server.port,
            HEALTH_PATH,
            READY_PATH,
            METRICS_PATH,
        )
        yield server
    finally:
        await server.close()
        stop_discord()
        stop_database()
        app.dispatcher.observer = None
        app.metrics, app.http = None, None
