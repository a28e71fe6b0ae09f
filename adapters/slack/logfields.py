"""Every log line written while Slack's request is handled names it (`--log-format json`).

A Bolt global middleware: the event id of an event, or the trigger id of a
command, click or form submission, as `interaction_id` (adapters/logs.py). Bolt
runs its listeners after the middleware returns, in the same task, so the field
is bound for the rest of the task (each request binds its own, or none); tasks
started while handling it (an answer worked on after the acknowledgement) carry it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from adapters.logs import bind_log_fields

Next = Callable[[], Awaitable[BoltResponse]]


class LogFields(AsyncMiddleware):
    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Next,  # Bolt passes it by this name
    ) -> BoltResponse | None:
        body = req.body if isinstance(req.body, dict) else {}
        found = body.get("event_id") or body.get("trigger_id")
        if found:
            bind_log_fields(interaction_id=str(found))
        else:
            bind_log_fields()
        return await next()
