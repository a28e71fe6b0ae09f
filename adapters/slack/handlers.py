"""Bolt listeners: each Slack payload becomes one call to the core's dispatcher.

Clicks are acknowledged first and answered after (through the response URL or
a message), so Slack's 3-second window is never at risk. Commands and form
submissions are dispatched first, with a deadline well inside that window: a
command's private answer then travels in the ack itself (no second request),
and a form's field errors can only go back in the ack. Past the deadline the
transport acknowledges them empty (tasks.EarlyAck) and they are answered when done.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck as Ack
from slack_bolt.context.async_context import AsyncBoltContext as Context
from slack_bolt.response import BoltResponse

from adapters.slack.escape import command_text, fit
from adapters.slack.forms import (
    CALLBACK_ID,
    TIMEZONE_ACTION,
    FormOrigin,
    form_view,
    submitted_values,
    timezone_options,
)
from adapters.slack.identity import People, identity, place, team_of
from adapters.slack.limits import ERROR_TEXT
from adapters.slack.listeners import (
    block_action,
    block_suggestion,
    event,
    listen,
    slash_command,
    view_submission,
)
from adapters.slack.render import ACTION_PREFIX, PLATFORM, button_target, clicked_action
from adapters.slack.replies import Origin, Replier
from adapters.slack.tasks import EARLY_ACK, EarlyAck, TaskSet
from bot.discussions.replies import record_reply
from bot.dispatcher import Dispatcher
from bot.identity import Place
from bot.invocation import Click, CommandCall
from bot.messages import Message, Reply, Section

SLASH_COMMAND = "/coalition"
# Slack shows an error in the modal if the ack of a submission takes over 3 seconds.
FORM_DEADLINE = 2.0
# A command's answer goes in its acknowledgement when it is ready this soon: Slack shows
# it at once, and the bot saves a post to the response URL. Slower ones are acknowledged
# empty and answered when done (Slack's limit for the ack is 3 seconds).
ANSWER_IN_ACK_WITHIN = 1.0
Body = Mapping[str, Any]


class Handlers:
    def __init__(
        self,
        dispatcher: Dispatcher,
        people: People,
        replier: Replier,
        tasks: TaskSet,
    ) -> None:
        self.dispatcher = dispatcher
        self.people = people
        self.replier = replier
        self.tasks = tasks

    def register(self, app: Any) -> None:
        """Attach the listeners to a Bolt AsyncApp (each is called with ack, body, context)."""
        listen(app, slash_command(SLASH_COMMAND), self.on_command)
        listen(app, block_action(re.compile("^" + re.escape(ACTION_PREFIX))), self.on_click)
        listen(app, view_submission(CALLBACK_ID), self.on_form)
        listen(app, block_suggestion(TIMEZONE_ACTION), self.on_options)
        listen(app, event("message"), self.on_message, auto_ack=True)

    # -- replies in threads ------------------------------------------------------------

    async def on_message(self, ack: Ack, body: Body, context: Context) -> None:
        """A message in a channel: counted if it is a reply in a discussion thread.

        Only the thread's id and the time are used; the text is never read or kept.
        The core ignores threads the bot did not open.
        """
        event = body["event"]
        thread_ts, ts = event.get("thread_ts"), event.get("ts")
        if not thread_ts or not ts or thread_ts == ts:
            return  # not a reply in a thread (the thread's first message is the bot's own)
        if event.get("subtype") not in (None, "thread_broadcast") or event.get("bot_id"):
            return  # edits, deletions, joins and bots' messages are not replies
        at = datetime.fromtimestamp(float(ts), UTC)
        await record_reply(
            self.dispatcher.services, PLATFORM, str(event.get("channel")), str(thread_ts), at
        )

    # -- /coalition ... -----------------------------------------------------------------

    async def on_command(self, ack: Ack, command: Body, context: Context) -> BoltResponse | None:
        # The core is awaited right here, in the request's own task: an answer from
        # memory (help) then costs no task and no turn of the event loop.
        early: EarlyAck = context[EARLY_ACK]
        early.after(ANSWER_IN_ACK_WITHIN, self.tasks)
        try:
            reply = await self._command(command)
        finally:
            early.cancel()
        if early.sent:  # acknowledged empty meanwhile: the answer follows
            await self.replier.deliver(reply, _origin(command))
            return None
        answer = self.replier.in_ack(reply)
        if answer is not None:
            # Bolt sends a response the listener returns as the ack: this one is JSON
            # made once per rendering, where ack(text=..., blocks=...) would encode it again.
            return BoltResponse(status=200, body=answer)
        await ack()
        # A form needs the trigger_id after the ack; public answers are posted by the bot.
        self.tasks.spawn(
            self.replier.deliver(reply, _origin(command)), name="slack /coalition reply"
        )
        return None

    async def _command(self, command: Body) -> Reply:
        team, user = command["team_id"], command["user_id"]
        hints = await self.people.hints(user, command.get("user_name", ""))
        text = command_text(command.get("text", ""))
        return await self.dispatcher.run_text(identity(team, user), _where(command), text, hints)

    # -- buttons ----------------------------------------------------------------------

    async def on_click(self, ack: Ack, body: Body, context: Context) -> None:
        await ack()
        self.tasks.spawn(self._click(body), name="slack click")

    async def _click(self, body: Body) -> None:
        action = (body.get("actions") or [{}])[0]
        name = clicked_action(str(action.get("action_id", "")))
        if name is None:
            return
        team, user = team_of(body), str(body["user"]["id"])
        container = body.get("container") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
        thread = (body.get("message") or {}).get("thread_ts")
        where = place(team, channel or "", thread=thread)
        click = Click(
            identity(team, user),
            where,
            name,
            button_target(str(action.get("value", ""))),
            await self.people.hints(user, body["user"].get("name", "")),
        )
        reply = await self.dispatcher.click(click)
        origin = Origin(
            team_id=team,
            user_id=user,
            channel_id=channel,
            response_url=body.get("response_url"),
            trigger_id=body.get("trigger_id"),
            thread=thread,
            is_direct=where.is_direct,
            message_ts=container.get("message_ts"),
            is_ephemeral=bool(container.get("is_ephemeral")),
        )
        await self.replier.deliver(reply, origin)

    # -- modals -----------------------------------------------------------------------

    async def on_form(self, ack: Ack, body: Body, context: Context) -> None:
        view = body["view"]
        form = FormOrigin.decode(str(view.get("private_metadata") or ""))
        if form is None:  # not one of ours any more (an old modal after an upgrade)
            await ack()
            return
        team, user = team_of(body), str(body["user"]["id"])
        where = Place(PLATFORM, team, form.channel, thread=form.thread, is_direct=form.is_direct)
        values = submitted_values(view.get("state", {}).get("values", {}), team)

        async def run() -> Reply:
            hints = await self.people.hints(user, body["user"].get("name", ""))
            actor = identity(team, user)
            return await self.dispatcher.run(
                CommandCall(actor, where, form.path, values, hints, from_form=True)
            )

        origin = Origin(
            team_id=team,
            user_id=user,
            channel_id=form.channel or None,
            response_url=form.response_url,
            thread=form.thread,
            is_direct=form.is_direct,
        )
        # Field errors can only go back in the ack, so the form is dispatched first; should
        # that take too long (Slack slow to take a post), the modal closes and the answer
        # follows as a message.
        early: EarlyAck = context[EARLY_ACK]
        early.after(FORM_DEADLINE, self.tasks)
        try:
            reply = await run()
        finally:
            early.cancel()
        if early.sent:
            # The modal is closed: a problem with a field is said in a message instead,
            # with the answers as a command to send again, so none of them is lost.
            message = reply.message
            if message is not None and reply.answers is not None:
                message = Message((*message.blocks, Section(reply.answers)))
            await self.replier.deliver(Reply(message=message, private=reply.private), origin)
            return
        fields = {b.get("block_id") for b in view.get("blocks") or []}
        field = reply.invalid_field
        if field is not None and field in fields and reply.message is not None:
            error = fit(reply.message.fallback_text(), ERROR_TEXT)
            await ack(response_action="errors", errors={field: error})
            return
        if reply.form is not None:
            await ack(response_action="update", view=form_view(reply.form, form))
            reply = Reply(message=reply.message, private=reply.private)
        else:
            await ack()
        self.tasks.spawn(self.replier.deliver(reply, origin), name="slack form reply")

    async def on_options(self, ack: Ack, body: Body, context: Context) -> None:
        home = self.dispatcher.config.coalition.timezone
        await ack(options=timezone_options(str(body.get("value") or ""), home))


def _where(command: Body) -> Place:
    return place(
        command["team_id"], command["channel_id"], channel_name=command.get("channel_name", "")
    )


def _origin(command: Body) -> Origin:
    """Where to answer a command that was not answered in its ack (made only then)."""
    return Origin(
        team_id=command["team_id"],
        user_id=command["user_id"],
        channel_id=command["channel_id"],
        response_url=command.get("response_url"),
        trigger_id=command.get("trigger_id"),
        is_direct=_where(command).is_direct,
    )
