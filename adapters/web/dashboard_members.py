"""The member list on the dashboard, and its CSV: the directory, for coordinators.

It reads the directory's own search (storage's `members.search`, as
`/coalition directory` does), so a member who chose not to be listed (listed=no) is
never on it, nor in the CSV. A page adds what a coordinator needs beside the
directory fields: each member's role, as every command reads it, and the platforms
they linked. The CSV holds only the columns `[web] members_csv_fields` names.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from aiohttp import web

from adapters.bootstrap import App
from adapters.web.dashboard_access import outside, signed_in
from adapters.web.pages import render, site
from bot.members import Member
from bot.membership.model import DirectoryQuery
from bot.ports import UnitOfWork
from bot.roles import Role

PER_PAGE = 20
CSV_BATCH = 200
PAGE_MAX = 10_000
# A filter longer than any stored value matches nothing: cut it, so a 10,000-character
# query string gets an ordinary page.
FILTER_MAX = 200
ROLES = {"member": Role.MEMBER, "coordinator": Role.COORDINATOR}
PLATFORM_NAMES = {"slack": "Slack", "discord": "Discord", "console": "Terminal"}


@dataclass(frozen=True)
class Filters:
    words: str = ""
    region: str = ""
    discipline: str = ""
    organization: str = ""
    role: str = ""
    page: int = 1
    bad_page: str = ""  # what was typed as a page number, when it was not one

    def query(self, *, page: int, per_page: int) -> DirectoryQuery:
        return DirectoryQuery(
            words=self.words or None,
            organization=self.organization or None,
            region=self.region or None,
            discipline=self.discipline or None,
            role=ROLES.get(self.role),
            page=page,
            per_page=per_page,
        )

    def given(self) -> dict[str, str]:
        """The filters as a query string, for paging links and the CSV."""
        named = {
            "q": self.words,
            "region": self.region,
            "discipline": self.discipline,
            "organization": self.organization,
            "role": self.role,
        }
        return {key: value for key, value in named.items() if value}


def filters_of(query: Mapping[str, str]) -> Filters:
    def text(name: str) -> str:
        return " ".join(query.get(name, "")[:FILTER_MAX].split())

    typed_page = query.get("page", "1").strip()
    good = typed_page.isascii() and typed_page.isdigit() and 0 < len(typed_page) < 6
    page = int(typed_page) if good else 0
    role = text("role")
    return Filters(
        words=text("q"),
        region=text("region"),
        discipline=text("discipline"),
        organization=text("organization"),
        role=role if role in ROLES else "",
        page=page if 0 < page <= PAGE_MAX else 1,
        bad_page="" if 0 < page <= PAGE_MAX else typed_page[:20],
    )


@dataclass(frozen=True)
class Row:
    member: Member
    role: Role
    platforms: tuple[str, ...]


def _row(member: Member, role: Role) -> Row:
    platforms = sorted({PLATFORM_NAMES.get(i.platform, i.platform) for i in member.identities})
    return Row(member, role, tuple(platforms))


async def _rows(uow: UnitOfWork, app: App, ids: list[int]) -> list[Row]:
    """The directory's page of members in full, in its order; the listed flag is checked
    again, so nobody unlisted can slip in between the search and this read."""
    found = await uow.members.get_many(ids)
    members = [found[i] for i in ids if i in found and found[i].profile.listed]
    return [_row(member, app.dispatcher.role_of(member)) for member in members]


async def members_page(request: web.Request) -> web.Response:
    coordinator = await signed_in(request)
    if coordinator is None:
        return outside(request)
    app = site(request).app
    filters = filters_of(request.query)
    async with app.storage.reading() as uow:
        found = await uow.members.search(filters.query(page=filters.page, per_page=PER_PAGE))
        rows = await _rows(uow, app, [entry.id for entry in found.members])
    given = filters.given()
    return render(
        request,
        "dashboard_members.html",
        rows=rows,
        found=found,
        filters=filters,
        given=given,
        regions=app.config.lists.regions,
        disciplines=app.config.lists.disciplines,
        csrf=coordinator.csrf,
        me=coordinator.member.name,
        section="members",
    )


def _safe_cell(value: str) -> str:
    # A cell a spreadsheet would run as a formula ("=HYPERLINK(…)") is kept as text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _cell(row: Row, column: str) -> str:
    profile = row.member.profile
    match column:
        case "name":
            return profile.display_name
        case "interests":
            return "; ".join(profile.interests)
        case "role":
            return row.role.name.lower()
        case "platforms":
            return "; ".join(row.platforms)
        case "joined":
            return row.member.joined_at.date().isoformat()
        case _:
            return str(getattr(profile, column))


async def members_csv(request: web.Request) -> web.StreamResponse:
    coordinator = await signed_in(request)
    if coordinator is None:
        return outside(request)
    app = site(request).app
    columns = app.config.web.members_csv_fields
    filters = filters_of(request.query)
    # A byte order mark, as the library's CSV: Excel then reads accents right.
    out = io.StringIO("\ufeff")
    out.seek(0, io.SEEK_END)
    writer = csv.writer(out)
    writer.writerow(columns)
    async with app.storage.reading() as uow:
        page = 1
        while True:
            found = await uow.members.search(filters.query(page=page, per_page=CSV_BATCH))
            for row in await _rows(uow, app, [entry.id for entry in found.members]):
                writer.writerow([_safe_cell(_cell(row, column)) for column in columns])
            if len(found.members) < CSV_BATCH:
                break
            page += 1
    return web.Response(
        body=out.getvalue().encode(),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="members.csv"'},
    )


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/dashboard/members", members_page, name="dashboard_members")
    router.add_get("/dashboard/members.csv", members_csv, name="dashboard_members_csv")
