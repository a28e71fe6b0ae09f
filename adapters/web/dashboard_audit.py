"""The dashboard's audit trail: the resource library's decisions and edits, and the role
changes, newest first, filtered by GET parameters and paged.

It reads what the chat's `resource audit` and `role history` read; nothing here
changes anything. A filter that cannot be read is left out, and the page says which
and what to type instead: never an error page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from aiohttp import web

from adapters.web.dashboard_access import outside, signed_in
from adapters.web.dashboard_actions import take_outcome
from adapters.web.pages import reader_language, render, site
from adapters.web.unlisted import unlisted_among, unlisted_label
from bot.i18n import N_, Translator, translator
from bot.members import MemberStatus
from bot.membership.model import RoleChange
from bot.resources.audit import OWN_SUGGESTION, changed_fields
from bot.resources.model import AuditAction, AuditEntry, AuditFilter
from bot.timezones import to_utc

PER_PAGE = 25
PAGE_MAX = 400  # deeper than anyone reads; narrow the filters instead
WHO_MAX = 80  # a member's name is at most this long
GRANTED, REVOKED = "role_granted", "role_revoked"
ACTIONS = {
    AuditAction.SUGGESTED.value: N_("Suggested"),
    AuditAction.EDITED.value: N_("Edited"),
    AuditAction.APPROVED.value: N_("Approved"),
    AuditAction.REJECTED.value: N_("Rejected"),
    AuditAction.RETIRED.value: N_("Retired"),
    GRANTED: N_("Made a coordinator"),
    REVOKED: N_("Coordinator role removed"),
}


@dataclass(frozen=True, slots=True)
class Filters:
    action: str = ""
    who: str = ""
    since: date | None = None
    until: date | None = None
    resource: int | None = None
    page: int = 1
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Row:
    at: datetime
    by: str
    action: str
    resource: int | None = None
    member: str = ""  # whose role changed
    changes: str = ""
    own: bool = False  # an approver approving their own suggestion


def read_filters(query: dict[str, str], tr: Translator) -> Filters:
    """The filters asked for; each one that cannot be read is dropped, with a sentence."""
    problems: list[str] = []
    action = query.get("action", "").strip()
    if action and action not in ACTIONS:
        problems.append(
            tr.plain(
                'There is no action called "{action}", so every action is shown. Pick one from the list.',
                action=action[:40],
            )
        )
        action = ""
    who = query.get("who", "").strip()
    if len(who) > WHO_MAX:
        problems.append(
            tr.plain(
                "A name is at most {max} characters, so the name filter was left out.",
                max=str(WHO_MAX),
            )
        )
        who = ""
    since = _day(query, "from", tr, problems)
    until = _day(query, "to", tr, problems)
    if since and until and since > until:
        problems.append(
            tr.plain(
                "The date range ends ({to}) before it starts ({start}), so it was left out. Put the earlier date first.",
                to=until.isoformat(),
                start=since.isoformat(),
            )
        )
        since = until = None
    resource = _number(query, "resource", 10**9, tr, problems)
    page = _number(query, "page", PAGE_MAX, tr, problems) or 1
    return Filters(action, who, since, until, resource, page, problems)


def _day(query: dict[str, str], name: str, tr: Translator, problems: list[str]) -> date | None:
    value = query.get(name, "").strip()
    if not value:
        return None
    try:
        if len(value) != len("2026-03-05"):  # fromisoformat also takes 20260305 and more
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        problems.append(
            tr.plain(
                '"{value}" is not a date, so it was left out. Write dates as year-month-day, for example {example}.',
                value=value[:40],
                example="2026-03-05",
            )
        )
        return None


def _number(
    query: dict[str, str], name: str, most: int, tr: Translator, problems: list[str]
) -> int | None:
    value = query.get(name, "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit() and 1 <= int(value[:12]) <= most:
        return int(value)
    problems.append(
        tr.plain(
            '"{value}" is not a number from 1 to {most}, so it was left out.',
            value=value[:40],
            most=str(most),
        )
    )
    return None


def _utc(day: date | None, zone: str) -> datetime | None:
    return None if day is None else to_utc(datetime.combine(day, time()), zone)


async def audit_page(request: web.Request) -> web.Response:
    coordinator = await signed_in(request)
    if coordinator is None:
        return outside(request)
    app = site(request).app
    tr = translator(reader_language(request, app.config.coalition.language))
    filters = read_filters(dict(request.query), tr)
    zone = app.config.coalition.timezone
    since = _utc(filters.since, zone)
    until = _utc(filters.until + timedelta(days=1) if filters.until else None, zone)
    # Enough of each source to fill this page and know whether another follows.
    wanted = filters.page * PER_PAGE + 1
    rows: list[Row] = []
    former = tr.plain("Former member")  # who left keeps the record, not the name
    unlisted = unlisted_label(request)
    async with app.storage.reading() as uow:
        entries: list[AuditEntry] = []
        changes: list[RoleChange] = []
        if filters.action in ("", *(a.value for a in AuditAction)):
            actions = frozenset({AuditAction(filters.action)} if filters.action else ())
            entries = await uow.resource_audit.search(
                AuditFilter(actions, filters.who, since, until, filters.resource), limit=wanted
            )
        if filters.action in ("", GRANTED, REVOKED) and filters.resource is None:
            # Role changes are few (a coalition has a handful of coordinators): read whole.
            changes = [
                c
                for c in await uow.role_changes.history()
                if _wanted_change(c, filters, since, until)
            ][:wanted]
        hidden = await unlisted_among(
            uow,
            [e.by_member_id for e in entries]
            + [c.by_member_id for c in changes]
            + [c.member_id for c in changes],
        )
        # A name typed in "Who" matched the stored name: an unlisted author's rows are
        # left out, or the filter would tell what that member did.
        rows += [
            _resource_row(e, former, unlisted if e.by_member_id in hidden else "")
            for e in entries
            if not (filters.who and e.by_member_id in hidden)
        ]
        for change in changes:
            if filters.who and change.by_member_id in hidden:
                continue
            member = await uow.members.get(change.member_id)
            gone = member is None or member.status is MemberStatus.LEFT
            whose = former if gone or member is None else member.name
            if change.member_id in hidden and not gone:
                whose = unlisted
            by = unlisted if change.by_member_id in hidden else ""
            rows.append(_role_row(change, whose, former, by))
    rows.sort(key=lambda row: row.at, reverse=True)
    first = (filters.page - 1) * PER_PAGE
    shown = rows[first : first + PER_PAGE]
    return render(
        request,
        "dashboard_audit.html",
        section="audit",
        rows=shown,
        filters=filters,
        actions=ACTIONS,
        zone=zone,
        newer=_page_link(request, filters.page - 1) if filters.page > 1 else "",
        older=_page_link(request, filters.page + 1) if len(rows) > first + PER_PAGE else "",
        csrf=coordinator.csrf,
        me=coordinator.member.name,
        outcome=await take_outcome(request, coordinator),
    )


def _wanted_change(
    change: RoleChange, filters: Filters, since: datetime | None, until: datetime | None
) -> bool:
    action = GRANTED if change.granted else REVOKED
    return (
        (not filters.action or filters.action == action)
        and (not filters.who or filters.who.lower() in change.by_name.lower())
        and (since is None or change.at >= since)
        and (until is None or change.at < until)
    )


def _resource_row(entry: AuditEntry, former: str, unlisted: str) -> Row:
    """`unlisted`: what stands for the author's name when they are not listed, else ""."""
    return Row(
        at=entry.at,
        by=unlisted or entry.by_name or former,
        action=entry.action.value,
        resource=entry.resource_id,
        changes=changed_fields(entry),
        own=bool(entry.after.get(OWN_SUGGESTION)),
    )


def _role_row(change: RoleChange, name: str, former: str, unlisted: str) -> Row:
    return Row(
        at=change.at,
        by=unlisted or change.by_name or former,
        action=GRANTED if change.granted else REVOKED,
        member=name,
    )


def _page_link(request: web.Request, page: int) -> str:
    return str(request.rel_url.update_query(page=str(page)))


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/dashboard/audit", audit_page, name="dashboard_audit")
