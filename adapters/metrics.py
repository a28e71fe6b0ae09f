"""Prometheus metrics, in a registry of the App's own (not the process-wide one).

- Commands and clicks by name and outcome, and their latency: the dispatcher's
  observer (bot/observing.py), which this class implements.
- Deliveries by table and state, the retried and late ones, the age of the
  oldest claim still held: read from the claim tables at each scrape
  (storage/status.py), so the reminder code needs no hooks, and every replica
  reports the same figures (they are the database's, not this process's).
- 429s: counted where the libraries report them (slack_sdk's retry handlers,
  discord.py's rate-limit warning).
- Leader status, read from the scheduler at each scrape.
- Database errors: SQLAlchemy's handle_error event on the engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.observing import Outcome
from storage.status import DeliveryCounts

log = logging.getLogger(__name__)

# From a quick answer (a few ms) to Slack's three-second limit and beyond.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# discord.py logs this (logger "discord.http") on each 429 it waits out or raises.
DISCORD_RATE_LIMITED = "We are being rate limited."
DATABASE_ERRORS = ("disconnect", "error", "unreachable")


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.invocations = Counter(
            "coalition_invocations",
            "Commands and button clicks handled, by kind, catalogue name and outcome",
            ("kind", "name", "outcome"),
            registry=r,
        )
        self.latency = Histogram(
            "coalition_invocation_seconds",
            "How long a command or click took in the core (database included)",
            ("kind", "name"),
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.rate_limited = Counter(
            "coalition_rate_limited",
            "HTTP 429 answers from a platform's API",
            ("platform",),
            registry=r,
        )
        self.database_errors = Counter(
            "coalition_database_errors",
            "Database errors: kind=disconnect (a connection was lost), error (any other the "
            "driver raised), unreachable (no connection could be opened, seen by a probe)",
            ("kind",),
            registry=r,
        )
        for kind in DATABASE_ERRORS:
            self.database_errors.labels(kind)  # each is shown from the start, at 0
        self.leader = Gauge(
            "coalition_scheduler_leader",
            "1 while this instance runs the scheduler (reminders, digests), else 0",
            registry=r,
        )
        self.deliveries = DeliveriesCollector()
        r.register(self.deliveries)
        # Bounded: kinds x catalogue names (or "unknown") x outcomes.
        self._children: dict[tuple[str, str, Outcome], tuple[Any, Any]] = {}

    # -- the dispatcher's observer ---------------------------------------------------

    def invoked(self, kind: str, name: str, outcome: Outcome, seconds: float) -> None:
        # The children of each label set are kept: `labels()` takes a lock and checks
        # its arguments each time, most of the cost of counting one command.
        children = self._children.get((kind, name, outcome))
        if children is None:
            children = (
                self.invocations.labels(kind, name, outcome.value),
                self.latency.labels(kind, name),
            )
            self._children[(kind, name, outcome)] = children
        children[0].inc()
        children[1].observe(seconds)

    # -- sources outside the core ----------------------------------------------------

    def watch_database(self, engine: AsyncEngine) -> Callable[[], None]:
        """Count the engine's errors; returns what stops counting."""

        def counted(context: Any) -> None:
            self.database_errors.labels("disconnect" if context.is_disconnect else "error").inc()

        event.listen(engine.sync_engine, "handle_error", counted)
        return lambda: event.remove(engine.sync_engine, "handle_error", counted)

    def database_unreachable(self, error: BaseException) -> None:
        """A probe could not reach the database; counted unless the engine counted it."""
        if not isinstance(error, DBAPIError):
            self.database_errors.labels("unreachable").inc()

    def slack_retry_handler(self) -> AsyncRetryHandler:
        """For the front of a Slack client's retry_handlers: counts 429s, retries nothing."""
        return _SlackRateLimits(self.rate_limited.labels("slack"))

    def discord_rate_limits(self) -> Callable[[], None]:
        """Count discord.py's 429s from its log; returns what stops counting."""
        handler = _DiscordRateLimits(self.rate_limited.labels("discord"))
        logger = logging.getLogger("discord.http")
        logger.addHandler(handler)
        return lambda: logger.removeHandler(handler)

    def exposition(self, counts: DeliveryCounts | None, now: datetime, leader: bool) -> bytes:
        """The text Prometheus reads, with the figures read for this scrape."""
        self.leader.set(1 if leader else 0)
        self.deliveries.counts, self.deliveries.now = counts, now
        return generate_latest(self.registry)


class DeliveriesCollector(Collector):
    """The claim tables' figures as read for the current scrape (absent if unreadable)."""

    def __init__(self) -> None:
        self.counts: DeliveryCounts | None = None
        self.now: datetime | None = None

    def describe(self) -> Iterator[Metric]:
        return iter(())  # figures come and go with the database: nothing to check up front

    def collect(self) -> Iterator[Metric]:
        counts, now = self.counts, self.now
        if counts is None or now is None:
            return
        states = GaugeMetricFamily(
            "coalition_deliveries",
            "Delivery claims (meeting reminders and announcements, weekly digests) by state: "
            "claimed (being posted), sent, failed (to be retried), gave_up, skipped",
            labels=("what", "status"),
        )
        for (what, status), rows in sorted(counts.states.items()):
            states.add_metric((what, status), rows)
        yield states
        retried = GaugeMetricFamily(
            "coalition_deliveries_retried",
            "Delivery claims tried more than once",
            labels=("what",),
        )
        for what, rows in sorted(counts.retried.items()):
            retried.add_metric((what,), rows)
        yield retried
        yield GaugeMetricFamily(
            "coalition_deliveries_late",
            "Meeting deliveries sent after their time (within the grace period)",
            value=counts.late,
        )
        yield GaugeMetricFamily(
            "coalition_follower_notices_claimed",
            "Discussions whose followers an instance is telling of new replies now",
            value=counts.follower_claims,
        )
        notices = counts.follower_notices
        if notices is not None:
            by_state = GaugeMetricFamily(
                "coalition_follower_notices",
                "Followers whose notice (a direct message) was given up (the platform "
                "refused it, or too many failures) or is waiting for a retry",
                labels=("state",),
            )
            by_state.add_metric(("given_up",), notices.given_up)
            by_state.add_metric(("waiting",), notices.waiting)
            yield by_state
        age = 0.0 if counts.oldest_claim is None else (now - counts.oldest_claim).total_seconds()
        yield GaugeMetricFamily(
            "coalition_oldest_claim_seconds",
            "Age of the oldest claim not yet finished (0 if none); above the claim timeout, "
            "nobody is posting it",
            value=max(age, 0.0),
        )


class _SlackRateLimits(AsyncRetryHandler):
    def __init__(self, counter: Any) -> None:
        super().__init__(max_retry_count=1 << 30)  # asked about every response
        self._counter = counter

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is not None and response.status_code == 429:
            self._counter.inc()
        return False  # the handlers after this one decide


class _DiscordRateLimits(logging.Handler):
    def __init__(self, counter: Any) -> None:
        super().__init__(logging.WARNING)
        self._counter = counter

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith(DISCORD_RATE_LIMITED):
            self._counter.inc()
