"""The Discord client: turns interactions into the core's invocations, and replies.

Translation only: who and where (identity.py), what was asked (a CommandCall,
a Click, or a form's answers), then the core's Reply shown by respond.py. Every
rule (who may do what, what is valid) is the dispatcher's. Every replica receives
every interaction: each is claimed first (claims.py), and only the replica that
claims it goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import discord
from discord import app_commands

from adapters.discord import identity
from adapters.discord.buttons import ActionButton
from adapters.discord.claims import Claiming
from adapters.discord.commands import CatalogueTranslator, build_commands, what_to_shorten
from adapters.discord.form_sessions import FormSession, FormSessions
from adapters.discord.forms import MODAL_PREFIX, FormButton, FormModal, modal_answers, step_prompt
from adapters.discord.forms import expired as expired_text
from adapters.discord.render import Part
from adapters.discord.respond import DEFER_AFTER, Responder
from adapters.logs import bind_log_fields
from bot.catalogue import Catalogue, Command, OptionKind
from bot.config import Config
from bot.i18n import Translator, spoken_language, translator
from bot.invocation import Click, CommandCall, ThreadMessage
from bot.messages import Reply

log = logging.getLogger(__name__)

# On shutdown, answers in progress get this long to finish, so nobody is left with
# "The application did not respond" for work that was done.
DRAIN_SECONDS = 5.0


class Dispatches(Protocol):
    """The part of bot.dispatcher.Dispatcher the client uses."""

    catalogue: Catalogue

    async def run(self, call: CommandCall) -> Reply: ...

    async def click(self, click: Click) -> Reply: ...

    async def event(self, event: ThreadMessage) -> bool: ...


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    """Where the commands go, and how long the core may take before we defer."""

    guild_ids: tuple[int, ...] = ()
    global_sync: bool = False
    defer_after: float = DEFER_AFTER


def intents() -> discord.Intents:
    # Guilds (to find channels by name) and guild messages (to count replies in the
    # discussion threads it opened). No privileged intent: the bot never reads the
    # text of messages or member lists; interactions carry everything it needs.
    return discord.Intents(guilds=True, guild_messages=True)


class ClaimingTree(app_commands.CommandTree["CoalitionClient"]):
    """Runs a command (or an autocomplete) only on the replica that claims the interaction."""

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return await self.client.claim(interaction)


class CoalitionClient(discord.Client):
    def __init__(
        self,
        dispatcher: Dispatches,
        config: Config,
        settings: DiscordSettings,
        *,
        claims: Claiming,
        forms: FormSessions,
        **options: Any,
    ) -> None:
        super().__init__(
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            # The guild messages intent brings every message of the server, our own answers
            # included. Nothing here reads discord.py's message cache, which would keep the
            # last 1000 of them and search it from the newest on every edit and deletion.
            max_messages=None,
            **options,
        )
        self.dispatcher = dispatcher
        self.config = config
        self.settings = settings
        self.tree = ClaimingTree(self)
        self.claims = claims
        self.sessions = forms
        self.responder = Responder(
            self.sessions, defer_after=settings.defer_after, language=config.coalition.language
        )
        self.coalition_ready = asyncio.Event()
        self._in_flight: set[asyncio.Task[Any]] = set()

    # -- start-up ---------------------------------------------------------------------

    async def setup_hook(self) -> None:
        self.add_dynamic_items(ActionButton, FormButton)
        commands = build_commands(self.dispatcher.catalogue, self.config, self.run_command)
        await self.tree.set_translator(CatalogueTranslator(self.config.coalition.language))
        guilds = [discord.Object(g) for g in self.settings.guild_ids]
        # A sync replaces every command of its scope, so a command the catalogue no longer
        # has (or the single /coalition of earlier versions) is removed by the same call.
        if self.settings.global_sync:
            for command in commands:
                self.tree.add_command(command)
            await self._sync(None)
            for guild in guilds:  # remove copies an earlier per-guild sync left behind
                await self._sync(guild)
        else:
            for command in commands:
                self.tree.add_command(command, guilds=guilds)
            for guild in guilds:
                await self._sync(guild)

    async def _sync(self, guild: discord.Object | None) -> None:
        # A refused sync leaves this server without its commands but keeps the bot running:
        # posts, buttons on earlier posts and the other platforms go on working.
        where = f"server {guild.id}" if guild else "every server (global)"
        try:
            synced = await self.tree.sync(guild=guild)
        except discord.Forbidden:
            log.error(
                "Discord refused to register the coalition's commands in %s: the bot is not in "
                "that server, or was invited without the applications.commands scope. Invite it "
                "with the link from `coalition-bot discord invite-url`.",
                where,
            )
            return
        except discord.HTTPException as error:
            log.error(
                "Discord refused to register the coalition's commands in %s, so members there "
                "cannot use them until this is fixed (everything else keeps running). Discord "
                "said: %s. %s",
                where,
                error.text or error,
                await what_to_shorten(self.tree, guild),
            )
            return
        log.info("registered %d command(s) in %s", len(synced), where)

    async def close(self) -> None:
        in_flight = [t for t in self._in_flight if t is not asyncio.current_task()]
        if in_flight:
            await asyncio.wait(in_flight, timeout=DRAIN_SECONDS)
        await super().close()

    @contextlib.contextmanager
    def _answering(self) -> Iterator[None]:
        """Marks the current task as answering an interaction, so close() lets it finish."""
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        try:
            yield
        finally:
            if task is not None:
                self._in_flight.discard(task)

    async def on_message(self, message: discord.Message) -> None:
        """A message in a thread: the core is told where and when (counted if the bot
        opened that thread for a discussion). The text is never read or kept.
        """
        if message.author.bot or not isinstance(message.channel, discord.Thread):
            return
        # Every replica receives the message: the one that claims it counts it.
        if not await self.claims.message(message.id):
            log.debug("message %s is counted by another replica", message.id)
            return
        thread = str(message.channel.id)
        await self.dispatcher.event(
            ThreadMessage(identity.PLATFORM, thread, thread, message.created_at)
        )

    async def on_ready(self) -> None:
        for guild in self._guilds():
            self._check_channels(guild)
        self.coalition_ready.set()

    def _guilds(self) -> Iterable[discord.Guild]:
        if not self.settings.guild_ids:
            return list(self.guilds)
        return [g for i in self.settings.guild_ids if (g := self.get_guild(i)) is not None]

    def _check_channels(self, guild: discord.Guild) -> None:
        names = {c.name.lower() for c in guild.text_channels}
        names.update(c.name.lower() for c in guild.forums)  # a forum may hold discussions
        missing = [
            f"#{wanted} (channels.{purpose})"
            for purpose, wanted in self.config.channels.model_dump().items()
            if wanted.lower() not in names
        ]
        if missing:
            log.warning(
                "Discord server %r has no channel %s. Create them, or set these keys in "
                "config.toml to existing channels' names.",
                guild.name,
                ", ".join(missing),
            )

    async def claim(self, interaction: discord.Interaction[Any]) -> bool:
        """Whether this replica answers the interaction; the others leave it alone."""
        if await self.claims.interaction(interaction.id):
            # Every log line of this interaction's task names it (JSON logs).
            bind_log_fields(interaction_id=str(interaction.id))
            return True
        log.debug("interaction %s is answered by another replica", interaction.id)
        return False

    # -- slash commands ---------------------------------------------------------------

    async def run_command(
        self, interaction: discord.Interaction[Any], command: Command, values: dict[str, Any]
    ) -> None:
        args: dict[str, Any] = {}
        for name, value in values.items():
            if value is None:
                continue
            option = command.option(name)
            if option is not None and option.kind is OptionKind.MEMBER:
                value = identity.member(value, interaction)
            args[name] = value
        call = CommandCall(
            actor=identity.actor(interaction),
            place=identity.place(interaction),
            path=command.path,
            args=args,
            hints=identity.hints(interaction),
        )
        with self._answering():
            await self.responder.answer(
                interaction, self.dispatcher.run(call), public=command.public
            )

    # -- buttons ----------------------------------------------------------------------

    async def handle_click(
        self, interaction: discord.Interaction[Any], action: str, target: str
    ) -> None:
        click = Click(
            actor=identity.actor(interaction),
            place=identity.place(interaction),
            action=action,
            target=target,
            hints=identity.hints(interaction),
        )
        with self._answering():
            await self.responder.answer(interaction, self.dispatcher.click(click), public=False)

    # -- forms ------------------------------------------------------------------------

    async def handle_form_page(
        self, interaction: discord.Interaction[Any], token: str, page: int, data: dict[str, Any]
    ) -> None:
        session = await self.sessions.get(token, interaction.user.id)
        if session is None or page >= len(session.pages):
            await self._form_expired(interaction)
            return
        # An input the submit leaves out keeps what the modal showed (a pre-filled value).
        fields = session.pages[page]
        session.answers.update({f.name: session.value(f) for f in fields})
        session.answers.update(modal_answers(data, fields))
        session.seen.add(page)
        # Kept before anything is answered: the person's next click may reach any replica.
        await self.sessions.save(session)
        if session.next_page() is not None:
            text, items = step_prompt(session, self._tr(interaction))
            part = Part(content=text, extra_items=items)
            if interaction.message is not None:  # reached from an earlier prompt: replace it
                await interaction.response.edit_message(**part.edit_kwargs())
            else:
                await interaction.response.send_message(**part.send_kwargs(), ephemeral=True)
            return
        await self._submit(interaction, session)

    async def handle_form_button(
        self, interaction: discord.Interaction[Any], token: str, step: str, page: int
    ) -> None:
        session = await self.sessions.get(token, interaction.user.id)
        if session is None or page >= len(session.pages):
            await self._form_expired(interaction)
            return
        if step == "finish":
            await self._submit(interaction, session)
            return
        await interaction.response.send_modal(FormModal(session, page, self._tr(interaction)))

    async def _submit(self, interaction: discord.Interaction[Any], session: FormSession) -> None:
        call = CommandCall(
            actor=identity.actor(interaction),
            place=identity.place(interaction),
            path=session.form.command,
            args=session.form.submitted(session.answers),
            hints=identity.hints(interaction),
            from_form=True,
        )
        # Our own step prompt or error (ephemeral) gives way to the answer; a public post
        # whose button opened the form (a review post) keeps what the core put on it.
        source = interaction.message
        with self._answering():
            reply = await self.responder.answer(
                interaction,
                self.dispatcher.run(call),
                public=session.public,
                session=session,
                replace_source=source is not None and source.flags.ephemeral,
            )
        if reply.invalid_field is None:  # else kept, with what was typed, to change it
            await self.sessions.close(session.token)

    async def _form_expired(self, interaction: discord.Interaction[Any]) -> None:
        # Said once; if the interaction was answered meanwhile, there is nothing to add.
        with contextlib.suppress(discord.InteractionResponded, discord.HTTPException):
            await interaction.response.send_message(
                expired_text(self._tr(interaction)),
                ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """A form's step submitted: handled here, by the replica that claims it.

        The modal may have been sent by another replica, or by this one before a
        restart, so discord.py's own dispatch (which knows only the modals this process
        sent) is not used; FormModal refuses it.
        """
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        prefix, _, rest = str(data.get("custom_id", "")).partition(":")
        token, _, page = rest.partition(":")
        if prefix != MODAL_PREFIX or not await self.claim(interaction):
            return
        if not page.isdigit():
            await self._form_expired(interaction)
            return
        await self.handle_form_page(interaction, token, int(page), data)

    def _tr(self, interaction: discord.Interaction[Any]) -> Translator:
        return translator(spoken_language(interaction.locale.value, self.config.coalition.language))
