"""One post to make: a claimed delivery with its message, and how a message is built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.config import Config
from bot.discussions.model import OccurrenceDiscussion
from bot.i18n import translator
from bot.meetings.announcements import announced_occurrence
from bot.meetings.cards import announcement, reminder
from bot.meetings.direct import dm_account
from bot.meetings.model import (
    Answer,
    BrokenMeeting,
    Delivery,
    DeliveryKey,
    DeliveryKind,
    Meeting,
    Occurrence,
)
from bot.messages import Destination, Message, ToChannel, ToMember
from bot.ports import UnitOfWork


@dataclass
class SweepReport:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    late: int = 0


@dataclass(frozen=True, slots=True)
class Job:
    delivery: Delivery
    meeting: Meeting
    occurrence: Occurrence
    to: Destination
    platform: str
    message: Message
    # Not a fresh claim of this sweep (a retry or a takeover): it may have been posted
    # already by whoever held it, so the platform is asked to check first where it can.
    recheck: bool = False

    @property
    def direct(self) -> bool:
        return isinstance(self.to, ToMember)


def message_for(
    key: DeliveryKey,
    late: bool,
    platform: str,
    meeting: Meeting,
    occurrence: Occurrence,
    language: str,
    counts: dict[Answer, int],
    discussion: OccurrenceDiscussion | None,
    reader_zone: str,
) -> Message:
    tr = translator(language)
    if key.kind is DeliveryKind.ANNOUNCEMENT:
        return announcement(
            tr, meeting, occurrence, counts, discussion=discussion, platform=platform
        )
    direct = key.target.direct
    return reminder(
        tr,
        meeting,
        occurrence,
        key.offset,
        late=late,
        direct=direct,
        discussion=discussion,
        platform=platform,
        reader_zone=reader_zone if direct else "",
    )


async def rebuild(
    work: UnitOfWork, config: Config, platforms: list[str], delivery: Delivery, meeting: Meeting
) -> Job | None:
    """The post of a delivery taken again (a retry, a takeover); None if it has nowhere
    to go any more (the occurrence was cancelled, the member left or has no account)."""
    start = delivery.key.occurrence_start
    occurrence = Occurrence(
        meeting.id, delivery.occurrence_key, start, start + timedelta(minutes=meeting.duration)
    )
    if delivery.key.kind is DeliveryKind.ANNOUNCEMENT:
        # Its key holds the meeting's creation, not the start: read the occurrence.
        changes = (await work.meetings.changes([meeting.id])).get(meeting.id, {})
        try:
            announced = announced_occurrence(meeting, changes, delivery)
        except Exception as error:  # a broken row, not the database
            raise BrokenMeeting(meeting.id) from error
        if announced is None:
            return None  # cancelled before its announcement could be posted
        occurrence = announced
    platform = delivery.key.target.platform
    language, zone = config.coalition.language, ""
    to: Destination = ToChannel(meeting.channel)
    if (member_id := delivery.key.target.member_id) is not None:
        member = await work.members.get(member_id)
        if member is None:
            return None
        # Chosen again: the platform they prefer now, if it is still connected.
        account = dm_account(
            member.identities,
            platforms,
            chosen=member.profile.dm_platform,
            last_used=member.last_used,
        )
        if account is None:
            return None
        platform, to = account.platform, ToMember((account,))
        language, zone = member.profile.language, member.profile.timezone
    counts = (
        await work.rsvps.counts(meeting.id, delivery.occurrence_key)
        if delivery.key.kind is DeliveryKind.ANNOUNCEMENT
        else {}
    )
    key = (meeting.id, delivery.occurrence_key)
    discussion = (await work.discussions.occurrence_discussions([key])).get(key)
    try:
        message = message_for(
            delivery.key, delivery.late, platform, meeting, occurrence, language, counts,
            discussion, zone,
        )  # fmt: skip
    except Exception as error:  # a broken row, not the database
        raise BrokenMeeting(meeting.id) from error
    return Job(delivery, meeting, occurrence, to, platform, message, recheck=True)
