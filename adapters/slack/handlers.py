"""Bolt listeners: each Slack payload becomes one call to the core's dispatcher.

They are registered with Bolt's own decorators (app.command and the like) and
take what Bolt injects by name. Bolt runs with process_before_response=True, so
the ack goes when a listener returns: clicks acknowledge at once and are answered
after (through the response URL or a message). Commands and form submissions
wait for the core a little first: a command's private answer then travels in the
ack itself (no second request), and a form's field errors can only go back in
the ack. Past that wait (SlackSettings.answer_in_ack, form_in_ack) they are
acknowledged empty and answered when done; the work runs on in the TaskSet.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck as Ack

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
from adapters.slack.payloads import (
    BlockActions,
    BlockSuggestion,
    EventCallback,
    SlashCommand,
    ViewSubmission,
)
from adapters.slack.render import ACTION_PREFIX, PLATFORM, clicked_action
from adapters.slack.replies import Origin, Replier
from adapters.slack.retries import Claim, event_key
from adapters.slack.tasks import TaskSet
from bot.dispatcher import Dispatcher
from bot.identity import Place
from bot.invocation import Click, CommandCall, ThreadMessage
from bot.messages import Message, Reply, Section

SLASH_COMMAND = "/coalition"
OUR_ACTIONS = re.compile("^" + re.escape(ACTION_PREFIX))


class Handlers:
    def __init__(
        self,
        dispatcher: Dispatcher,
        people: People,
        replier: Replier,
        tasks: TaskSet,
        claim: Claim,
        *,
        answer_in_ack: float,
        form_in_ack: float,
    ) -> None:
        self.dispatcher = dispatcher
        self.claim = claim
        self.people = people
        self.replier = replier
        self.tasks = tasks
        self.answer_in_ack = answer_in_ack
        self.form_in_ack = form_in_ack

    def register(self, app: AsyncApp) -> None:
        """Attach the listeners to a Bolt app; Bolt acknowledges events by itself."""
        app.command(SLASH_COMMAND)(self.on_command)
        app.action(OUR_ACTIONS)(self.on_click)
        app.view_submission(CALLBACK_ID)(self.on_form)
        app.options(TIMEZONE_ACTION)(self.on_options)
        app.event("message")(self.on_message)

    # -- replies in threads ------------------------------------------------------------

    async def on_message(self, body: EventCallback) -> None:
        """A message in a channel: if it is a reply in a thread, the core is told where
        and when (a discussion's thread counts it; the core ignores threads the bot did
        not open). The text is never read or kept.

        Only such a reply is claimed by its event id (retries.py), so that it counts
        once across Slack's retries and replicas; every other message is ignored
        before it costs a database write.
        """
        event = body["event"]
        thread_ts, ts = event.get("thread_ts"), event.get("ts")
        if not thread_ts or not ts or thread_ts == ts:
            return  # not a reply in a thread (the thread's first message is the bot's own)
        if event.get("subtype") not in (None, "thread_broadcast") or event.get("bot_id"):
            return  # edits, deletions, joins and bots' messages are not replies
        key = event_key(body)
        if key is not None and not await self.claim(key):
            return  # this replica, or another, has it already
        at = datetime.fromtimestamp(float(ts), UTC)
        await self.dispatcher.event(
            ThreadMessage(PLATFORM, str(event.get("channel")), str(thread_ts), at)
        )

    # -- /coalition ... -----------------------------------------------------------------

    async def on_command(self, ack: Ack, command: SlashCommand) -> None:
        work = self.tasks.spawn(self._command(command), name="slack /coalition")
        reply = await self.tasks.within(work, self.answer_in_ack)
        if reply is None:  # not ready in time: acknowledged empty, the answer follows
            await ack()
            self.tasks.then(
                work, lambda late: self.replier.deliver(late, _origin(command)), "slack late reply"
            )
            return
        answer = self.replier.in_ack(reply)
        if answer is not None:
            await ack(answer)
            return
        await ack()
        # A form needs the trigger_id after the ack; public answers are posted by the bot.
        self.tasks.spawn(
            self.replier.deliver(reply, _origin(command)), name="slack /coalition reply"
        )

    async def _command(self, command: SlashCommand) -> Reply:
        team, user = command["team_id"], command["user_id"]
        hints = await self.people.hints(user, command.get("user_name", ""))
        text = command_text(command.get("text", ""))
        return await self.dispatcher.run_text(identity(team, user), _where(command), text, hints)

    # -- buttons ----------------------------------------------------------------------

    async def on_click(self, ack: Ack, body: BlockActions) -> None:
        await ack()
        self.tasks.spawn(self._click(body), name="slack click")

    async def _click(self, body: BlockActions) -> None:
        action = body["actions"][0]
        name = clicked_action(action["action_id"])
        if name is None:
            return
        team, user = team_of(body), body["user"]["id"]
        container = body.get("container") or {}
        channel = body["channel"]["id"] if "channel" in body else container.get("channel_id")
        thread = (body.get("message") or {}).get("thread_ts")
        where = place(team, channel or "", thread=thread)
        click = Click(
            identity(team, user),
            where,
            name,
            action.get("value", ""),  # absent: the empty target
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

    async def on_form(self, ack: Ack, body: ViewSubmission) -> None:
        view = body["view"]
        form = FormOrigin.decode(view.get("private_metadata") or "")
        if form is None:  # not one of ours any more (an old modal after an upgrade)
            await ack()
            return
        team, user = team_of(body), body["user"]["id"]
        where = Place(PLATFORM, team, form.channel, thread=form.thread, is_direct=form.is_direct)
        answers = submitted_values(view.get("state", {}).get("values", {}), team)
        values = {**dict(form.carried), **answers}

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
        work = self.tasks.spawn(run(), name="slack form")
        reply = await self.tasks.within(work, self.form_in_ack)
        if reply is None:
            await ack()
            self.tasks.then(work, lambda late: self._after_closing(late, origin), "slack form")
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

    async def _after_closing(self, reply: Reply, origin: Origin) -> None:
        """A form's answer after its modal closed: a problem with a field is said in a
        message instead, with the answers as a command to send again, so none is lost."""
        message = reply.message
        if message is not None and reply.answers is not None:
            message = Message((*message.blocks, Section(reply.answers)))
        await self.replier.deliver(Reply(message=message, private=reply.private), origin)

    async def on_options(self, ack: Ack, body: BlockSuggestion) -> None:
        home = self.dispatcher.config.coalition.timezone
        await ack(options=timezone_options(body.get("value") or "", home))


def _where(command: SlashCommand) -> Place:
    return place(
        command["team_id"], command["channel_id"], channel_name=command.get("channel_name", "")
    )


def _origin(command: SlashCommand) -> Origin:
    """Where to answer a command that was not answered in its ack (made only then)."""
    return Origin(
        team_id=command["team_id"],
        user_id=command["user_id"],
        channel_id=command["channel_id"],
        response_url=command.get("response_url"),
        trigger_id=command.get("trigger_id"),
        is_direct=_where(command).is_direct,
    )
