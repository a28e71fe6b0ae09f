"""The Slack adapter's parts for one run, built and closed together.

One aiohttp session serves every Web API call and response_url post (slack_sdk
would otherwise open a connection per call). Bolt runs with
process_before_response=True: Bolt acknowledges when a listener returns, and a
listener returns within its deadline, handing what is left to a TaskSet, which
shutdown drains (see tasks.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from types import TracebackType

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.handlers import Handlers
from adapters.slack.identity import People
from adapters.slack.poster import SlackPoster
from adapters.slack.replies import Replier
from adapters.slack.retries import Claim, Deliveries
from adapters.slack.tasks import TaskSet
from bot.dispatcher import Dispatcher

DEFAULT_API_URL = "https://slack.com/api/"
# A 429 is waited out (Retry-After) this many times before the call fails.
RATE_LIMIT_RETRIES = 3


@dataclass(frozen=True)
class SlackSettings:
    """How to reach Slack. Secrets are plain strings here only; they are never logged."""

    bot_token: str
    app_token: str | None = None  # Socket Mode
    signing_secret: str | None = None  # HTTP mode
    mode: str = "socket"  # or "http"
    host: str = "0.0.0.0"
    port: int = 3000
    api_url: str | None = None  # SLACK_API_URL: a proxy, or a test server
    post_interval: float = 1.0  # seconds between posts in one channel
    # Answers worked on at once, at most: enough for Slack's round trips to overlap, and
    # a bound on the database connections they hold.
    answer_concurrency: int = 8
    # Slack gives an acknowledgement 3 seconds. A command's answer ready within
    # answer_in_ack goes in the ack itself (shown at once, no second request); a
    # slower one is acknowledged empty and follows through the response URL.
    answer_in_ack: float = 1.0
    # A form's field errors can only go back in the ack; past this the modal closes
    # and the answer follows as a message.
    form_in_ack: float = 2.0

    def __repr__(self) -> str:
        return f"SlackSettings(mode={self.mode!r}, port={self.port}, api_url={self.api_url!r})"


def web_client(settings: SlackSettings, session: aiohttp.ClientSession) -> AsyncWebClient:
    client = AsyncWebClient(
        token=settings.bot_token, base_url=settings.api_url or DEFAULT_API_URL, session=session
    )
    # Not a default handler: without it a 429 fails the call instead of waiting.
    client.retry_handlers.append(
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)
    )
    return client


def bolt_app(client: AsyncWebClient, signing_secret: str | None) -> AsyncApp:
    # Only client= (its token is used): passing token= too makes Bolt warn.
    return AsyncApp(
        client=client,
        signing_secret=signing_secret,
        process_before_response=True,
        name="coalition-bot",
        logger=logging.getLogger("adapters.slack.bolt"),
    )


class SlackBot:
    """Use as `async with SlackBot(dispatcher, settings, claim) as bot:`; then serve bot.bolt.

    `claim` says whether this instance is the first to see a delivery (retries.py):
    the database's claims where replicas share one. Interactions are claimed by the
    `Deliveries` middleware, thread replies by their listener.
    """

    bolt: AsyncApp

    def __init__(self, dispatcher: Dispatcher, settings: SlackSettings, claim: Claim) -> None:
        self.dispatcher = dispatcher
        self.settings = settings
        self.tasks = TaskSet(limit=settings.answer_concurrency)
        self.claim = claim
        self.deliveries = Deliveries(claim)

    async def __aenter__(self) -> SlackBot:
        self.session = aiohttp.ClientSession()
        self.client = web_client(self.settings, self.session)
        self.poster = SlackPoster(self.client, interval=self.settings.post_interval)
        self.people = People(self.client)
        self.replier = Replier(self.client, self.session, self.poster)
        self.bolt = bolt_app(self.client, self.settings.signing_secret)
        handlers = Handlers(
            self.dispatcher,
            self.people,
            self.replier,
            self.tasks,
            self.claim,
            answer_in_ack=self.settings.answer_in_ack,
            form_in_ack=self.settings.form_in_ack,
        )
        self.bolt.use(self.deliveries)
        handlers.register(self.bolt)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self.tasks.close()
        finally:
            await self.session.close()
