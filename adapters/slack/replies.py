"""Sending the core's Reply back to the person who acted, the way Slack allows.

Private answers go through the interaction's response_url (ephemeral: it works
in any channel, even one the bot was not invited to), falling back to
chat.postEphemeral and then to a direct message. A decided item's message is
replaced in place. A form opens as a modal with the interaction's trigger_id.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.forms import FormOrigin, form_view
from adapters.slack.poster import SlackPoster
from adapters.slack.render import SlackMessage, render, render_one
from bot.messages import Form, Message, Reply, say

log = logging.getLogger(__name__)
_FAILURES = (SlackApiError, aiohttp.ClientError, OSError, TimeoutError)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where one command, click or form came from, and the handles Slack gave to answer it."""

    team_id: str
    user_id: str
    channel_id: str | None
    response_url: str | None = None
    trigger_id: str | None = None
    thread: str | None = None
    is_direct: bool = False
    message_ts: str | None = None  # the message whose button was clicked
    is_ephemeral: bool = False  # ...which only the clicker could see


class Replier:
    def __init__(
        self, client: AsyncWebClient, session: aiohttp.ClientSession, poster: SlackPoster
    ) -> None:
        self._client = client
        self._session = session
        self._poster = poster

    async def deliver(self, reply: Reply, origin: Origin) -> None:
        # The form first: its trigger_id expires three seconds after the click or command.
        if reply.form is not None:
            await self.open_form(reply.form, origin)
        if reply.update_original is not None and origin.message_ts is not None:
            await self.replace_original(reply.update_original, origin)
        if reply.message is not None:
            if reply.private:
                await self.privately(reply.message, origin)
            else:
                await self.publicly(reply.message, origin)

    def in_ack(self, reply: Reply) -> dict[str, Any] | None:
        """The body of an acknowledgement that answers a command by itself, if this
        reply fits in one (a new dict: Bolt's ack changes what it is given).

        Only a private message of one Slack message does: forms need the trigger_id
        after the ack, public answers are posted by the bot, files go to a DM.
        """
        message = reply.message
        if message is None or not reply.private or message.attachments:
            return None
        if reply.form is not None or reply.update_original is not None:
            return None
        rendered = render(message)
        if len(rendered) != 1:
            return None
        answer = rendered[0]
        return {"text": answer.text, "blocks": answer.blocks, "response_type": "ephemeral"}

    async def open_form(self, form: Form, origin: Origin) -> None:
        if origin.trigger_id is None:
            log.warning("cannot open the %s form without a trigger_id", " ".join(form.command))
            await self._form_unavailable(form, origin)
            return
        view = form_view(
            form,
            FormOrigin(
                form.command,
                origin.channel_id or "",
                origin.thread,
                origin.is_direct,
                origin.response_url,
            ),
        )
        try:
            await self._client.views_open(trigger_id=origin.trigger_id, view=view)
        except SlackApiError as error:
            log.error("could not open the %s form: %s", " ".join(form.command), _code(error))
            await self._form_unavailable(form, origin)

    async def _form_unavailable(self, form: Form, origin: Origin) -> None:
        # Most often expired_trigger_id (a slow moment past Slack's 3 s): the person
        # would otherwise see nothing happen. Tell them how to type it instead.
        if form.unavailable:
            await self.privately(say(form.unavailable), origin)

    async def replace_original(self, message: Message, origin: Origin) -> None:
        rendered = render_one(message)
        if not origin.is_ephemeral and origin.channel_id and origin.message_ts:
            try:
                await self._client.chat_update(
                    channel=origin.channel_id,
                    ts=origin.message_ts,
                    text=rendered.text,
                    blocks=rendered.blocks,
                )
                return
            except SlackApiError as error:
                log.warning("chat.update failed (%s); replacing through response_url", _code(error))
        # Ephemeral messages can only be replaced through the response_url.
        if origin.response_url is None or not await self._webhook(
            origin.response_url, rendered, replace_original=True
        ):
            log.error("could not update the clicked message in %s", origin.channel_id)

    async def privately(self, message: Message, origin: Origin) -> None:
        for rendered in render(message):
            if not await self._ephemeral(rendered, origin):
                await self._direct(rendered, origin)
        if message.attachments:
            # Files are never shared in a channel for a private answer: they go to the DM.
            try:
                channel = await self._poster.dm_channel(origin.user_id)
                for attachment in message.attachments:
                    await self._poster.upload(channel, attachment)
            except _FAILURES as error:
                log.error("could not send %s a file: %s", origin.user_id, _code(error))

    async def publicly(self, message: Message, origin: Origin) -> None:
        if origin.channel_id:
            try:
                await self._poster.post(origin.channel_id, message)
                return
            except SlackApiError as error:
                log.warning("chat.postMessage failed (%s); answering in place", _code(error))
        # Not a member of the channel: the response_url still posts there, for the command only.
        for rendered in render(message):
            if origin.response_url is None or not await self._webhook(
                origin.response_url, rendered, response_type="in_channel"
            ):
                await self._direct(rendered, origin)

    async def _ephemeral(self, rendered: SlackMessage, origin: Origin) -> bool:
        if origin.response_url and await self._webhook(
            origin.response_url, rendered, response_type="ephemeral", replace_original=False
        ):
            return True
        if not origin.channel_id:
            return False
        try:
            await self._client.chat_postEphemeral(
                channel=origin.channel_id,
                user=origin.user_id,
                text=rendered.text,
                blocks=rendered.blocks,
                thread_ts=origin.thread,
            )
        except SlackApiError as error:
            log.warning("chat.postEphemeral failed (%s); sending a direct message", _code(error))
            return False
        return True

    async def _direct(self, rendered: SlackMessage, origin: Origin) -> None:
        try:
            channel = await self._poster.dm_channel(origin.user_id)
            await self._poster.send(channel, rendered)
        except _FAILURES as error:
            log.error("could not answer %s at all: %s", origin.user_id, _code(error))

    async def _webhook(self, url: str, rendered: SlackMessage, **options: Any) -> bool:
        webhook = AsyncWebhookClient(
            url,
            session=self._session,
            retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
        )
        body = {"text": rendered.text, "blocks": rendered.blocks, **options}
        try:
            response = await webhook.send_dict(body)
        except _FAILURES as error:
            log.warning("response_url failed: %s", error)
            return False
        if response.status_code != 200:
            log.warning("response_url answered %s: %s", response.status_code, response.body[:200])
            return False
        return True


def _code(error: Exception) -> str:
    if isinstance(error, SlackApiError) and error.response is not None:
        data: Mapping[str, Any] | Any = error.response.data
        if isinstance(data, Mapping):
            return str(data.get("error") or error.response.status_code)
    return str(error) or type(error).__name__
