"""Members who chose not to be listed in the directory (listed=no) are never named on the
web, not even to coordinators: the dashboard says "A member not listed in the directory"
where their name would be. The chat still names them to those it already did.

Pages look up who is unlisted by member id (a name is not unique); a sentence the core
wrote for the chat (a decision's outcome) has the names of the unlisted members it is
about replaced.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiohttp import web

from adapters.web.pages import reader_language, site
from bot.i18n import N_, translator
from bot.members import Member
from bot.ports import UnitOfWork

UNLISTED = N_("A member not listed in the directory")


def unlisted_label(request: web.Request) -> str:
    """The sentence standing for an unlisted member, in the reader's language."""
    language = reader_language(request, site(request).app.config.coalition.language)
    return translator(language).plain(UNLISTED)


async def unlisted_among(uow: UnitOfWork, ids: Iterable[int | None]) -> set[int]:
    """Which of these members are not listed in the directory (one read for all)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return set()
    found = await uow.members.get_many(wanted)
    return {i for i in wanted if i in found and not found[i].profile.listed}


async def scrubbed(uow: UnitOfWork, text: str, ids: Iterable[int | None], label: str) -> str:
    """`text` with the names of those of `ids` who are unlisted replaced by `label`."""
    wanted = {i for i in ids if i is not None}
    if not text or not wanted:
        return text
    found = await uow.members.get_many(wanted)
    hidden: list[Member] = [m for m in found.values() if not m.profile.listed]
    # Longest first, so a name holding another one is replaced whole.
    for member in sorted(hidden, key=lambda m: len(m.name), reverse=True):
        if member.name.strip():
            text = text.replace(member.name, label)
    return text
