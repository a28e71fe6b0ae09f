"""Answering an interaction with the core's Reply, within Discord's 3-second window.

Discord forgets an interaction that is not acknowledged within 3 seconds. The
core's work is started at once; if it has not finished after `defer_after`
(2 s by default, leaving a second for the network) the interaction is
deferred ("thinking…", or a silent acknowledgement for a click) and the answer
follows up when it is ready. Answering directly when the work is quick, rather
than always deferring first, matters for three reasons: a form can only open
as a modal in the first response; whether an answer is private must be fixed
when deferring, before the core has decided; and one HTTP call per interaction
instead of two halves Discord traffic.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

import discord

from adapters.discord import forms
from adapters.discord.form_sessions import FormSession, FormSessions
from adapters.discord.render import Part, render, render_one
from adapters.discord.text import escape
from bot.i18n import SOURCE_LANGUAGE, Translator, spoken_language, translator
from bot.messages import Form, Message, Reply

log = logging.getLogger(__name__)

DEFER_AFTER = 2.0  # seconds


@dataclass(frozen=True, slots=True)
class Deferral:
    thinking: bool  # a "thinking…" placeholder that the first follow-up fills
    ephemeral: bool


class Responder:
    def __init__(
        self,
        sessions: FormSessions,
        *,
        defer_after: float = DEFER_AFTER,
        language: str = SOURCE_LANGUAGE,
    ) -> None:
        self.sessions = sessions
        self.language = language  # the coalition's: for a member whose locale the bot lacks
        self.defer_after = defer_after

    async def answer(
        self,
        interaction: discord.Interaction[Any],
        work: Awaitable[Reply],
        *,
        public: bool,
        session: FormSession | None = None,
        replace_source: bool = False,
    ) -> Reply:
        """Run the core's work and show its reply; returns the reply.

        `public`: whether the command answers the channel (so a deferral is not private).
        `session`: the form being submitted, so a validation error can offer to fix it.
        `replace_source`: a private answer replaces the bot's own ephemeral message whose
        button led here, e.g. the "step 1 of 2" prompt, instead of piling up a new one.
        Never for a public post: that one shows what the core made of it.
        """
        # The work runs in this task, to its end whatever happens: it commits or rolls
        # back whole. Only if it is slow does the deferral start beside it.
        late = _Late(interaction, public=public, update=replace_source)
        timer = asyncio.get_running_loop().call_later(self.defer_after, late.passed)
        try:
            reply = await work
        except BaseException:
            if late.deferring is not None:  # the dispatcher never raises: cancellation
                late.deferring.cancel()
            raise
        finally:
            timer.cancel()
        deferral = await late.deferring if late.deferring is not None else None
        try:
            delivery = _Delivery(
                interaction, reply, deferral, self.sessions, public=public, language=self.language
            )
            await delivery.run(session, replace_source)
        except discord.HTTPException as error:
            log.warning(
                "could not answer interaction %s: %s %s", interaction.id, error.status, error.text
            )
        return reply


async def _defer(
    interaction: discord.Interaction[Any], *, public: bool, update: bool
) -> Deferral | None:
    is_click = interaction.type is discord.InteractionType.component
    try:
        if is_click or (update and interaction.message is not None):
            await interaction.response.defer()  # acknowledges; the clicked message stays
            return Deferral(thinking=False, ephemeral=True)
        await interaction.response.defer(thinking=True, ephemeral=not public)
        return Deferral(thinking=True, ephemeral=not public)
    except discord.HTTPException as error:
        log.warning("could not defer interaction %s: %s", interaction.id, error)
        return None


class _Late:
    """One interaction being answered, until its work is done: deferred if that is late."""

    __slots__ = ("deferring", "interaction", "public", "update")

    def __init__(
        self, interaction: discord.Interaction[Any], *, public: bool, update: bool
    ) -> None:
        self.interaction = interaction
        self.public = public
        self.update = update
        self.deferring: asyncio.Task[Deferral | None] | None = None

    def passed(self) -> None:
        """The work is still running after `defer_after`: defer beside it."""
        defer = _defer(self.interaction, public=self.public, update=self.update)
        self.deferring = asyncio.get_running_loop().create_task(defer)


class _Delivery:
    """One reply shown on one interaction: which Discord calls, in which order."""

    def __init__(
        self,
        interaction: discord.Interaction[Any],
        reply: Reply,
        deferral: Deferral | None,
        sessions: FormSessions,
        *,
        public: bool,
        language: str,
    ) -> None:
        self.interaction = interaction
        self.public = public
        self.reply = reply
        self.deferral = deferral
        self.sessions = sessions
        self.language = spoken_language(interaction.locale.value, language)
        self.tr: Translator = translator(self.language)
        # The "thinking…" placeholder waits to be filled by the first follow-up.
        self.placeholder = deferral is not None and deferral.thinking

    async def run(self, session: FormSession | None, replace_source: bool) -> None:
        reply = self.reply
        if reply.form is not None:
            await self._open_form(reply.form)
            return
        extra: list[discord.ui.Item[Any]] = []
        if session is not None and reply.invalid_field is not None:
            page = session.page_of(reply.invalid_field)
            if page is not None:
                extra.append(forms.fix_button(session, page, self.tr))
        update, message = reply.update_original, reply.message
        replacing = (
            update is None
            and replace_source
            and message is not None
            and reply.private
            and self.interaction.message is not None
        )
        if replacing:
            update, message = message, None
        if update is not None and self.interaction.message is not None:
            await self._edit(update, extra if replacing else [])
            if message is not None:
                await self._send(message, reply.private, extra)
            return
        if message is None:
            await self._acknowledge()
            return
        await self._send(message, reply.private, extra)

    async def _open_form(self, form: Form) -> None:
        interaction = self.interaction
        session = await self.sessions.open(form, interaction.user.id, public=self.public)
        if not session.pages:  # a form with nothing to ask is a declaration bug
            log.error("form %s has no fields", form.command)
            await self.sessions.close(session.token)
            await self._acknowledge()
            return
        # A modal can only be the first answer, and never the answer to another modal.
        if (
            not interaction.response.is_done()
            and interaction.type is not discord.InteractionType.modal_submit
        ):
            await interaction.response.send_modal(forms.FormModal(session, 0, self.tr))
            return
        # Otherwise offer a button that opens it.
        view = discord.ui.View(timeout=None)
        view.add_item(forms.open_button(session, self.tr))
        view.stop()  # handled by the registered FormButton class (see render.Part.view)
        await self._follow_up(
            Part(content=f"**{escape(form.title)}**"),
            private=True,
            view=view,
        )

    async def _edit(self, message: Message, extra: list[discord.ui.Item[Any]]) -> None:
        part = render_one(message, self.language)
        part.extra_items = extra
        if not self.interaction.response.is_done():
            await self.interaction.response.edit_message(**part.edit_kwargs())
        else:
            await self.interaction.edit_original_response(**part.edit_kwargs())

    async def _send(
        self, message: Message, private: bool, extra: list[discord.ui.Item[Any]]
    ) -> None:
        parts = render(message, self.language)
        parts[-1].extra_items = extra
        first, rest = parts[0], parts[1:]
        if not self.interaction.response.is_done():
            await self.interaction.response.send_message(**first.send_kwargs(), ephemeral=private)
        else:
            await self._follow_up(first, private=private)
        for part in rest:
            await self._follow_up(part, private=private)

    async def _follow_up(
        self, part: Part, *, private: bool, view: discord.ui.View | None = None
    ) -> None:
        interaction = self.interaction
        if self.placeholder:
            self.placeholder = False
            assert self.deferral is not None
            if self.deferral.ephemeral != private:
                # The placeholder was deferred for the other audience: the first follow-up
                # would inherit its visibility, so make room for a new message instead.
                await interaction.delete_original_response()
        kwargs = part.send_kwargs()
        if view is not None:
            kwargs["view"] = view
        await interaction.followup.send(**kwargs, ephemeral=private)

    async def _acknowledge(self) -> None:
        """Nothing to say: close the interaction quietly."""
        interaction = self.interaction
        if self.placeholder:
            self.placeholder = False
            await interaction.delete_original_response()
        elif not interaction.response.is_done():
            if interaction.type is discord.InteractionType.component:
                await interaction.response.defer()
            else:
                await interaction.response.send_message("\u2705", ephemeral=True)
