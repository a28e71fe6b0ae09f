"""What the library shows to anyone, signed in or not: the coalition's website.

The public sees approved resources only, and a member's name only where the
coalition allows it ([web] show_suggested_by) and the member is listed in the
directory: a hidden member never appears.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from bot.config import Config
from bot.ports import UnitOfWork
from bot.resources.export import FIELDS, as_record
from bot.resources.model import Resource, ResourceStatus

# The export's fields less the people behind a resource, unless the coalition shows them.
PEOPLE = ("suggested_by", "approved_by")


async def in_library(uow: UnitOfWork, resource_id: int) -> Resource | None:
    """The resource if it is in the library now; None for a suggestion, a rejected or retired one."""
    resource = await uow.resources.get(resource_id)
    if resource is None or resource.status is not ResourceStatus.APPROVED:
        return None
    return resource


async def shown_suggester(uow: UnitOfWork, config: Config, resource: Resource) -> str | None:
    """Who suggested it, for the public page: only if allowed and they are listed."""
    if not config.web.show_suggested_by:
        return None
    member = await uow.members.get(resource.suggested_by)
    if member is None or not member.profile.listed:
        return None
    return member.name


def public_fields(config: Config) -> tuple[str, ...]:
    if config.web.show_suggested_by:
        return tuple(f for f in FIELDS if f != "approved_by")
    return tuple(f for f in FIELDS if f not in PEOPLE)


async def public_records(uow: UnitOfWork, config: Config) -> AsyncIterator[dict[str, Any]]:
    """The approved library as the export writes it, with only what the public may see."""
    fields = public_fields(config)
    listed: dict[int, bool] = {}
    async for resource in uow.resources.approved():
        record = as_record(resource)
        if "suggested_by" in fields:
            if resource.suggested_by not in listed:
                member = await uow.members.get(resource.suggested_by)
                listed[resource.suggested_by] = member is not None and member.profile.listed
            if not listed[resource.suggested_by]:
                record["suggested_by"] = ""
        yield {name: record[name] for name in fields}
