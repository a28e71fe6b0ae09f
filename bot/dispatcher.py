"""The single entry point: every command and every click passes through here.

One transaction per invocation: the use case's changes are committed whole, or
rolled back whole when anything fails. Permissions are checked here, for
commands and clicks alike, because anyone who can see a button can click it.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from bot.arguments import coerce, parse_text
from bot.capability import Listener, Part
from bot.catalogue import Catalogue, Command
from bot.clock import Clock
from bot.config import Config
from bot.context import Context
from bot.delivery import Broadcaster, Services
from bot.errors import FieldError, StorageUnavailable, UserError
from bot.forms import form_for, form_value
from bot.i18n import Translator, available_languages, translator
from bot.identity import Identity, Place
from bot.invocation import ActorHints, Click, CommandCall, ThreadMessage
from bot.members import Member, MemberStatus
from bot.messages import Code, Given, Message, Reply, Section, Strong, Text, Usage
from bot.observing import InvocationObserver, Outcome
from bot.ports import UnitOfWork, UnitOfWorkFactory
from bot.roles import Role

log = logging.getLogger(__name__)
NO_HINTS = ActorHints()

Work = Callable[[Context], Awaitable[Reply]]
# What is being run, as (kind, catalogue name): for the log and the observer, made only
# if a line is written or an observer listens. Never the typed text (it holds names).
Named = Callable[[], tuple[str, str]]


class Dispatcher:
    def __init__(
        self,
        catalogue: Catalogue,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        config: Config,
        broadcaster: Broadcaster | None = None,
        *,
        parts: Iterable[Part] = (),
        listeners: Iterable[Listener] = (),
        instance: str = "this-instance",
    ) -> None:
        self.catalogue = catalogue
        self.unit_of_work = unit_of_work
        self.clock = clock
        self.config = config
        self.broadcaster = broadcaster or Broadcaster()
        self.services = Services(unit_of_work, self.broadcaster, clock, config, instance)
        for make in parts:  # the capabilities' (bot/capability.py), made once
            self.services.add(make(self.services))
        self.listeners = tuple(listeners)  # the capabilities' (bot/capability.py)
        self.observer: InvocationObserver | None = None  # told of each command and click

    async def run_text(
        self, actor: Identity, place: Place, text: str, hints: ActorHints = NO_HINTS
    ) -> Reply:
        """A command typed as text after "/coalition"."""

        async def work(ctx: Context) -> Reply:
            path, raw = parse_text(self.catalogue, text)
            call = CommandCall(actor=actor, place=place, path=path, args=raw, hints=hints)
            return await self._command(ctx, call)

        return await self._invoke(actor, place, hints, work, lambda: self._text_name(text))

    async def run(self, call: CommandCall) -> Reply:
        """A command whose path and options the platform already separated."""

        async def work(ctx: Context) -> Reply:
            return await self._command(ctx, call)

        return await self._invoke(
            call.actor, call.place, call.hints, work, lambda: self._command_name(call.path)
        )

    async def click(self, click: Click) -> Reply:
        async def work(ctx: Context) -> Reply:
            action = self.catalogue.action(click.action)
            if action is None:
                raise UserError(
                    "That button no longer works. Type {help} to start again.",
                    help=Code("/coalition help"),
                )
            _check_role(ctx, action.role)
            return await action.handler(ctx, click.target)

        return await self._invoke(
            click.actor,
            click.place,
            click.hints,
            work,
            lambda: ("click", click.action if self.catalogue.action(click.action) else "unknown"),
            f":{click.target}",
        )

    async def event(self, event: ThreadMessage) -> bool:
        """Something happened on a platform that nobody asked the bot for: every listener
        is told, in turn. Whether one took it (a reply counted in a discussion).

        A listener that fails is logged and the others are still told: the platform
        has nobody to show the error to.
        """
        taken = False
        for listen in self.listeners:
            try:
                taken = await listen(self.services, event) or taken
            except Exception:
                log.exception("a listener failed on a %s event", event.platform)
        return taken

    def _command_name(self, path: tuple[str, ...]) -> tuple[str, str]:
        return ("command", " ".join(path) if self.catalogue.command(path) else "unknown")

    def _text_name(self, text: str) -> tuple[str, str]:
        try:
            return self._command_name(parse_text(self.catalogue, text)[0])
        except UserError:
            return ("command", "unknown")

    async def _command(self, ctx: Context, call: CommandCall) -> Reply:
        command = self.catalogue.command(call.path)
        if command is None:
            # Platforms with typed commands can be out of date after an upgrade.
            raise UserError(
                "I don't know that command. Type {help} to see what I can do.",
                help=Code("/coalition help"),
            )
        _check_role(ctx, command.role)
        if command.form and not call.from_form and _asks_for_form(command, call.args):
            # A form asks for several fields at once, so it beats an error naming only
            # the first one missing: what was given is filled in, the rest asked.
            return await _form_reply(ctx, command, call.args)
        try:
            today = ctx.clock.now().date()
            types = self.catalogue.option_types
            args = coerce(command, call.args, self.config, call.actor, today, types)
            reply = await command.handler(ctx, args)
        except FieldError as error:
            _name_field(ctx.tr, command, error)
            if call.from_form:
                error.answers = _answers(ctx, command, call.args)
            raise
        if command.public and reply.message is not None and reply.private:
            reply = replace(reply, private=False)
        return reply

    async def _invoke(
        self,
        actor: Identity,
        place: Place,
        hints: ActorHints,
        work: Work,
        named: Named,
        detail: str = "",
    ) -> Reply:
        started = time.perf_counter()
        ctx: Context | None = None
        outcome = Outcome.CANCELLED

        def label() -> str:
            return " ".join(named()) + detail

        try:
            async with self.unit_of_work() as uow:
                ctx = await self._context(uow, actor, place, hints)
                try:
                    reply = await work(ctx)
                except BaseException:
                    await uow.rollback()
                    raise
                await uow.commit()
            outcome = Outcome.OK
        except FieldError as error:
            outcome = Outcome.REFUSED
            reply = _error_reply(self._speaking(ctx, hints), error, field=error.field)
            return replace(reply, answers=error.answers)
        except UserError as error:
            outcome = Outcome.REFUSED
            return _error_reply(self._speaking(ctx, hints), error)
        except StorageUnavailable:
            outcome = Outcome.UNAVAILABLE
            log.warning("%s: database unavailable", label())
            return _sorry(
                self._speaking(ctx, hints).plain(
                    "I can't reach my database right now, so nothing was saved. "
                    "Please try again in a minute."
                )
            )
        except Exception:
            outcome = Outcome.FAILED
            reference = secrets.token_hex(3)
            log.exception("%s failed (reference %s)", label(), reference)
            return _sorry(
                self._speaking(ctx, hints).plain(
                    "Something went wrong on my side and nothing was saved. "
                    "Please try again; if it keeps happening, tell a coordinator "
                    "the reference {reference}.",
                    reference=reference,
                )
            )
        finally:
            seconds = time.perf_counter() - started
            if log.isEnabledFor(logging.DEBUG):
                log.debug("%s took %.1f ms", label(), seconds * 1000)
            if self.observer is not None:
                self.observer.invoked(*named(), outcome, seconds)
        if reply.notices:
            await self.broadcaster.deliver(reply.notices)
        for follow_up in reply.after_commit:
            try:
                await follow_up()
            except Exception:
                # The change is committed; whatever the follow-up failed to do is
                # recorded as not done, for a retry (e.g. a queued review post).
                log.exception("%s: work after the commit failed", label())
        return reply

    async def _context(
        self, uow: UnitOfWork, actor: Identity, place: Place, hints: ActorHints
    ) -> Context:
        member = await uow.members.by_identity(actor)
        if member is not None and len(member.identities) > 1 and member.last_used != actor:
            # Reminder DMs go where a linked member last used the bot (bot/meetings/direct.py);
            # written only when they switch accounts, so most commands write nothing.
            await uow.members.used(actor, at=self.clock.now())
        return Context(
            actor=actor,
            place=place,
            member=member,
            role=self._role(actor, member),
            tr=translator(self._language(member, hints)),
            uow=uow,
            clock=self.clock,
            config=self.config,
            catalogue=self.catalogue,
            hints=hints,
            services=self.services,
            broadcaster=self.broadcaster,
        )

    def _speaking(self, ctx: Context | None, hints: ActorHints) -> Translator:
        """The language to answer in, also when the member could not be looked up."""
        return ctx.tr if ctx is not None else translator(self._language(None, hints))

    def role_of(self, member: Member) -> Role:
        """A member's role now, as every command sees it (the web dashboard re-checks it)."""
        actor = member.last_used or (member.identities[0] if member.identities else None)
        return self._role(actor, member) if actor is not None else Role.GUEST

    def _role(self, actor: Identity, member: Member | None) -> Role:
        is_admin = self.config.is_admin
        if is_admin(actor.platform, actor.user_id) or (
            member is not None and any(is_admin(i.platform, i.user_id) for i in member.identities)
        ):
            return Role.ADMIN
        if member is None or member.status is not MemberStatus.ACTIVE:
            return Role.GUEST
        return member.role

    def _language(self, member: Member | None, hints: ActorHints) -> str:
        if member is not None and member.status is not MemberStatus.LEFT:
            return member.profile.language
        if hints.language in available_languages():
            assert hints.language is not None
            return hints.language
        return self.config.coalition.language


def _check_role(ctx: Context, needed: Role) -> None:
    if ctx.role >= needed:
        return
    if ctx.role is Role.GUEST:
        if ctx.member is not None and ctx.member.status is MemberStatus.PENDING:
            raise UserError(
                "Your request to join is still waiting for a coordinator. "
                "You'll get a message as soon as it's decided."
            )
        raise UserError(
            "You need to join the coalition first. Type {command} to start.",
            command=Code("/coalition join"),
        )
    raise UserError("Only {role} can do that.", role=Strong(ctx.tr.plain(needed.label)))


def _asks_for_form(command: Command, given: Mapping[str, Any]) -> bool:
    """Nothing given, or not every required option: the form asks for the rest."""
    if not given:
        return True
    return any(o.required and not form_value(given.get(o.name)) for o in command.options)


async def _form_reply(ctx: Context, command: Command, given: Mapping[str, Any]) -> Reply:
    typed = {name: form_value(value) for name, value in given.items()}
    values = await command.prefill(ctx, typed) if command.prefill else {}
    values.update(typed)
    hidden = await command.form_hides(ctx, typed) if command.form_hides else frozenset()
    return Reply(form=form_for(ctx, command.path, values, hidden=hidden))


def _answers(ctx: Context, command: Command, given: Mapping[str, Any]) -> Text:
    typed = tuple(Given(name, form_value(v)) for name, v in given.items() if form_value(v))
    return ctx.tr(
        "Your answers are kept here: correct this command and send it. {command}",
        command=Usage(" ".join(command.path), typed),
    )


def _name_field(tr: Translator, command: Command, error: FieldError) -> None:
    """An error naming an option says, to a reader of another language, its label in that
    language and the name to type: "Anónima (anonymous=) solo acepta sí o no." In English
    the name alone reads as the label does. One place for every command's errors."""
    option = command.option(error.field)
    if option is None or not option.label or error.values.get("field") != Strong(option.name):
        return
    label = tr.plain(option.label or option.name)  # declared with N_(), as forms show it
    if label == option.label or label.lower() == option.name.lower():  # not translated
        return
    error.values["field"] = Strong(f"{label} ({option.name}=)")


def _error_reply(tr: Translator, error: UserError, field: str | None = None) -> Reply:
    message = Message((Section(tr(error.msgid, **error.values)),))
    return Reply(message=message, private=True, invalid_field=field)


def _sorry(sentence: str) -> Reply:
    return Reply(message=Message((Section((Strong(sentence),)),)), private=True)
