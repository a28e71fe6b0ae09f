"""Members, their accounts and the directory."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import TypeVarTuple

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload
from sqlalchemy.sql import Select

from bot.identity import Identity
from bot.membership.folding import fold
from bot.membership.model import (
    DIRECTORY_COUNT_CAP,
    NAME_MAX,
    NAME_REMOVED,
    ORGANIZATION_MAX,
    TOMBSTONE_NAME,
    AccountTaken,
    DirectoryEntry,
    DirectoryPage,
    DirectoryQuery,
    Member,
    MemberStatus,
    Profile,
)
from bot.roles import Role
from storage.discord_forms import forget_forms_of
from storage.schema import (
    IdentityRow,
    LinkCodeRow,
    MemberInterestRow,
    MemberRow,
    ResourceAuditRow,
    RoleChangeRow,
)

Columns = TypeVarTuple("Columns")
_ROLE_NAMES = {Role.MEMBER: "member", Role.COORDINATOR: "coordinator"}
_ROLES = {name: role for role, name in _ROLE_NAMES.items()}


def _like(text: str) -> str:
    """A LIKE pattern that finds folded `text` anywhere, its own wildcards taken literally."""
    escaped = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def to_member(row: MemberRow) -> Member:
    profile = Profile(
        display_name=row.display_name,
        organization=row.organization,
        jurisdiction=row.jurisdiction,
        discipline=row.discipline,
        region=row.region,
        interests=tuple(i.interest for i in row.interests),
        timezone=row.timezone,
        language=row.language,
        listed=row.listed,
        dm_reminders=row.dm_reminders,
        dm_platform=row.dm_platform,
    )
    return Member(
        id=row.id,
        profile=profile,
        status=MemberStatus(row.status),
        role=_ROLES[row.role],
        joined_at=row.joined_at,
        identities=tuple(Identity(i.platform, i.workspace, i.user_id) for i in row.identities),
        last_used=last_used(row.identities),
    )


def last_used(rows: Sequence[IdentityRow]) -> Identity | None:
    """The account a member last ran a command from, if it was recorded."""
    used = [i for i in rows if i.last_used_at is not None]
    if not used:
        return None
    latest = max(used, key=lambda i: (i.last_used_at, i.id))
    return Identity(latest.platform, latest.workspace, latest.user_id)


def _apply_profile(row: MemberRow, profile: Profile, fields: Collection[str] | None = None) -> None:
    """Copy `fields` of the profile (all when None) to the row; only those are written."""

    def given(name: str) -> bool:
        return fields is None or name in fields

    if given("display_name"):
        row.display_name = profile.display_name
        # Folding can lengthen a few rare characters: the key stays within its column.
        row.name_key = fold(profile.display_name)[:NAME_MAX]
    if given("organization"):
        row.organization = profile.organization
        row.organization_key = fold(profile.organization)[:ORGANIZATION_MAX]
    for name in _PLAIN_FIELDS:
        if given(name):
            setattr(row, name, getattr(profile, name))
    if given("interests"):
        row.interests = [
            MemberInterestRow(interest=interest, position=n)
            for n, interest in enumerate(profile.interests)
        ]


_PLAIN_FIELDS = (
    "jurisdiction",
    "discipline",
    "region",
    "timezone",
    "language",
    "listed",
    "dm_reminders",
    "dm_platform",
)


# Every command and click starts with this lookup: the member, their interests and
# their accounts, in one statement.
_BY_IDENTITY = (
    select(MemberRow)
    .join(IdentityRow)
    .where(
        IdentityRow.platform == bindparam("platform"),
        IdentityRow.workspace == bindparam("workspace"),
        IdentityRow.user_id == bindparam("user_id"),
    )
    .options(joinedload(MemberRow.interests), joinedload(MemberRow.identities))
)


# A click or form in a Discord direct message comes with no server: its workspace is
# "dm" (adapters/discord/identity.py). Discord user ids are global, so it is the
# member's account on the server they joined from (an evaluation's DM button).
DIRECT_WORKSPACE = "dm"
_BY_USER = (
    select(MemberRow)
    .join(IdentityRow)
    .where(
        IdentityRow.platform == bindparam("platform"),
        IdentityRow.user_id == bindparam("user_id"),
    )
    .order_by(IdentityRow.id)
    .options(joinedload(MemberRow.interests), joinedload(MemberRow.identities))
)


class SqlMembers:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self, profile: Profile, identity: Identity, *, pending: bool, at: datetime
    ) -> Member:
        row = MemberRow(
            status=(MemberStatus.PENDING if pending else MemberStatus.ACTIVE).value,
            role="member",
            joined_at=at,
            updated_at=at,
        )
        _apply_profile(row, profile)
        row.identities = [IdentityRow(**_identity_columns(identity))]
        self.session.add(row)
        try:
            await self.session.flush()
        except IntegrityError as error:  # the account's unique key: it joined meanwhile
            raise AccountTaken(identity) from error
        return to_member(row)

    async def _row(self, member_id: int) -> MemberRow | None:
        return await self.session.get(MemberRow, member_id)

    async def get(self, member_id: int) -> Member | None:
        row = await self._row(member_id)
        return to_member(row) if row else None

    async def get_many(self, member_ids: Collection[int]) -> dict[int, Member]:
        if not member_ids:
            return {}
        rows = await self.session.scalars(select(MemberRow).where(MemberRow.id.in_(member_ids)))
        return {row.id: to_member(row) for row in rows.unique()}

    async def by_identity(self, identity: Identity) -> Member | None:
        account = {"platform": identity.platform, "workspace": identity.workspace}
        if identity.workspace == DIRECT_WORKSPACE:
            query, params = _BY_USER, {"platform": identity.platform, "user_id": identity.user_id}
        else:
            query, params = _BY_IDENTITY, {**account, "user_id": identity.user_id}
        result = await self.session.scalars(query, params)
        row = result.unique().first()
        return to_member(row) if row else None

    async def by_name(self, name: str) -> list[Member]:
        query = select(MemberRow).where(
            MemberRow.name_key == fold(name)[:NAME_MAX], MemberRow.status == "active"
        )
        return [to_member(r) for r in await self.session.scalars(query)]

    async def update_profile(
        self,
        member_id: int,
        profile: Profile,
        *,
        at: datetime,
        fields: Collection[str] | None = None,
    ) -> None:
        row = await self._row(member_id)
        assert row is not None
        # Only the fields asked for: the rest of `profile` may be an older read, and
        # writing it back would undo an edit made meanwhile from another device.
        _apply_profile(row, profile, fields)
        row.updated_at = at
        await self.session.flush()

    async def set_status(self, member_id: int, status: str) -> None:
        await self.session.execute(
            update(MemberRow).where(MemberRow.id == member_id).values(status=status)
        )

    async def set_role(self, member_id: int, role: Role) -> None:
        await self.session.execute(
            update(MemberRow).where(MemberRow.id == member_id).values(role=_ROLE_NAMES[role])
        )

    async def search(self, query: DirectoryQuery) -> DirectoryPage:
        # The capped count rides along with the page as an uncorrelated subquery:
        # both databases work it out once, and the search costs one round trip.
        matching = _directory(select(MemberRow.id), query).limit(DIRECTORY_COUNT_CAP + 1)
        counted = select(func.count()).select_from(matching.subquery())
        columns = select(
            MemberRow.id,
            MemberRow.display_name,
            MemberRow.organization,
            MemberRow.region,
            MemberRow.discipline,
            counted.scalar_subquery().label("total"),
        )
        rows = (
            await self.session.execute(
                _directory(columns, query)
                .order_by(MemberRow.name_key, MemberRow.id)
                .limit(query.per_page)
                .offset((query.page - 1) * query.per_page)
            )
        ).all()
        entries = [
            DirectoryEntry(
                id=r.id,
                display_name=r.display_name,
                organization=r.organization,
                region=r.region,
                discipline=r.discipline,
            )
            for r in rows
        ]
        if rows:
            total = rows[0].total
        elif query.page == 1:
            total = 0
        else:  # past the last page: the count still says how many pages there are
            total = await self.session.scalar(counted) or 0
        return DirectoryPage(members=entries, total=total, page=query.page, per_page=query.per_page)

    async def with_role(self, role: Role) -> list[Member]:
        query = select(MemberRow).where(
            MemberRow.role == _ROLE_NAMES[role], MemberRow.status == "active"
        )
        return [to_member(r) for r in await self.session.scalars(query.order_by(MemberRow.id))]

    async def count_joined(self, since: datetime, until: datetime) -> int:
        found = await self.session.scalar(
            select(func.count())
            .select_from(MemberRow)
            .where(
                MemberRow.status == "active",
                MemberRow.joined_at >= since,
                MemberRow.joined_at < until,
            )
        )
        return int(found or 0)

    async def used(self, identity: Identity, *, at: datetime) -> None:
        # A member change (the cache is cleared), but only made when a linked member
        # switches accounts: see Dispatcher._context.
        await self.session.execute(
            update(IdentityRow)
            .where(*(getattr(IdentityRow, k) == v for k, v in _identity_columns(identity).items()))
            .values(last_used_at=at)
            .execution_options(synchronize_session=False)
        )

    async def link_identity(self, member_id: int, identity: Identity) -> None:
        self.session.add(IdentityRow(member_id=member_id, **_identity_columns(identity)))
        await self.session.flush()
        row = await self._row(member_id)
        if row is not None:
            await self.session.refresh(row, ["identities"])

    async def erase(self, member_id: int, *, at: datetime) -> None:
        row = await self._row(member_id)
        assert row is not None
        _apply_profile(row, Profile(display_name=TOMBSTONE_NAME, organization="", listed=False))
        row.status = MemberStatus.LEFT.value
        row.role = "member"
        row.left_at = at
        row.updated_at = at
        # A Discord form they were filling in holds their answers (storage/discord_forms.py).
        discord_accounts = (i.user_id for i in row.identities if i.platform == "discord")
        await forget_forms_of(self.session, discord_accounts)
        row.identities = []
        session = self.session
        await session.execute(delete(LinkCodeRow).where(LinkCodeRow.member_id == member_id))
        # What was theirs in each capability (answers, follows, votes) goes in the
        # capabilities' own on_leave steps, in this unit of work (bot/member_data.py).
        # What they gave the coalition (resources, discussions, meetings, decisions)
        # stays, tied to the tombstone, and its records lose the name.
        for record in (ResourceAuditRow, RoleChangeRow):
            await session.execute(
                update(record)
                .where(record.by_member_id == member_id)
                .values(by_name=NAME_REMOVED)
                .execution_options(synchronize_session=False)
            )
        await session.flush()


def _directory(found: Select[*Columns], query: DirectoryQuery) -> Select[*Columns]:
    """Active, listed members matching every filter given."""
    found = found.where(MemberRow.status == "active", MemberRow.listed.is_(True))
    if query.interest:
        # A join on the (member_id, interest) key, not a subquery: both planners can
        # then stop as soon as they have the rows a page or a capped count needs.
        found = found.join(
            MemberInterestRow,
            (MemberInterestRow.member_id == MemberRow.id)
            & (MemberInterestRow.interest == query.interest),
        )
    if query.role is not None:
        found = found.where(MemberRow.role == _ROLE_NAMES.get(query.role, "admin"))
    if query.region:
        found = found.where(MemberRow.region == query.region)
    if query.discipline:
        found = found.where(MemberRow.discipline == query.discipline)
    if query.organization:
        found = found.where(MemberRow.organization_key.like(_like(query.organization), escape="\\"))
    if query.name:
        found = found.where(MemberRow.name_key.like(_like(query.name), escape="\\"))
    # Each word, anywhere in the name or the organization: "maria alameda" finds María
    # López of Alameda County.
    for word in fold(query.words or "").split():
        pattern = _like(word)
        found = found.where(
            MemberRow.name_key.like(pattern, escape="\\")
            | MemberRow.organization_key.like(pattern, escape="\\")
        )
    return found


def _identity_columns(identity: Identity) -> dict[str, str]:
    return {
        "platform": identity.platform,
        "workspace": identity.workspace,
        "user_id": identity.user_id,
    }
