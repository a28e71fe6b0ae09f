"""The approved library as CSV or JSON, for the coalition's website (`coalition-bot export`)."""

from __future__ import annotations

import csv
import json
from typing import Any, TextIO

from bot.ports import UnitOfWorkFactory
from bot.resources.model import OwnSuggestion, Resource

FORMATS = ("csv", "json")
FIELDS = (
    "id",
    "title",
    "url",
    "description",
    "type",
    "topics",
    "jurisdiction",
    "language",
    "suggested_by",
    "approved_by",
    "approved_at",
)


def as_record(resource: Resource) -> dict[str, Any]:
    return {
        "id": resource.id,
        "title": resource.title,
        "url": resource.url,
        "description": resource.description,
        "type": resource.type,
        "topics": list(resource.topics),
        "jurisdiction": resource.jurisdiction,
        "language": resource.language,
        "suggested_by": resource.suggested_by_name,
        "approved_by": resource.decided_by_name or "",
        "approved_at": resource.decided_at.isoformat() if resource.decided_at else "",
    }


def own_suggestion_record(suggestion: OwnSuggestion) -> dict[str, Any]:
    """One of a member's suggestions, as their JSON export holds it."""
    return {
        "id": suggestion.id,
        "title": suggestion.title,
        "url": suggestion.url,
        "status": suggestion.status.value,
        "suggested_at": suggestion.suggested_at.isoformat(),
        "decided_at": suggestion.decided_at.isoformat() if suggestion.decided_at else None,
    }


async def export_library(unit_of_work: UnitOfWorkFactory, form: str, out: TextIO) -> int:
    """Write every approved resource to `out`; how many were written."""
    if form not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    count = 0
    async with unit_of_work() as uow:
        if form == "csv":
            writer = csv.DictWriter(out, fieldnames=FIELDS)
            writer.writeheader()
            async for resource in uow.resources.approved():
                record = as_record(resource)
                record["topics"] = "; ".join(record["topics"])
                writer.writerow(record)
                count += 1
        else:
            # One object per line inside a JSON array: streamed, never held whole.
            out.write("[")
            async for resource in uow.resources.approved():
                out.write(",\n" if count else "\n")
                out.write(json.dumps(as_record(resource), ensure_ascii=False))
                count += 1
            out.write("\n]\n" if count else "]\n")
    return count
