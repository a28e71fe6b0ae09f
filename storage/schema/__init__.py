"""The tables, as typed SQLAlchemy models, one module per capability.

Migrations in storage/migrations must match them: tests/storage/test_migrations.py
checks that upgrading an empty database gives exactly this schema. A new module
is imported here so that its tables join Base.metadata.
"""

from storage.schema.attendance import AttendanceRow
from storage.schema.base import Base
from storage.schema.calendar_feeds import CalendarFeedRow
from storage.schema.dashboard import DashboardLinkRow, DashboardSessionRow
from storage.schema.discord_forms import DiscordFormRow
from storage.schema.discussions import (
    DigestDeliveryRow,
    DiscussionFollowerRow,
    DiscussionRow,
    DiscussionThreadRow,
    DiscussionWordRow,
    MeetingDiscussionRow,
)
from storage.schema.evaluations import (
    EvaluationAnonymousRow,
    EvaluationNamedRow,
    EvaluationOccurrenceRow,
    EvaluationRespondentRow,
    EvaluationRow,
    EvaluationSendRow,
)
from storage.schema.interactions import InteractionClaimRow
from storage.schema.matching import MatchOptInRow, MatchPlaceRow, MatchRoundRow
from storage.schema.meetings import (
    DeliveryRow,
    MeetingRow,
    MeetingsVersionRow,
    OccurrenceChangeRow,
    RsvpRow,
)
from storage.schema.membership import (
    IdentityRow,
    JoinRequestRow,
    LinkCodeRow,
    MemberInterestRow,
    MemberRow,
    RoleChangeRow,
)
from storage.schema.polls import (
    PollChoiceRow,
    PollOptionRow,
    PollPostRow,
    PollRow,
    PollVoterRow,
)
from storage.schema.questions import QuestionPostRow, QuestionRow, QuestionUpvoteRow
from storage.schema.reports import DepartureRow
from storage.schema.resources import (
    LibraryVersionRow,
    ResourceAuditRow,
    ResourceRetirementRow,
    ResourceRow,
    ResourceTopicRow,
)
from storage.schema.roster import InvitationRow

__all__ = [
    "AttendanceRow",
    "Base",
    "CalendarFeedRow",
    "DashboardLinkRow",
    "DashboardSessionRow",
    "DeliveryRow",
    "DepartureRow",
    "DigestDeliveryRow",
    "DiscordFormRow",
    "DiscussionFollowerRow",
    "DiscussionRow",
    "DiscussionThreadRow",
    "DiscussionWordRow",
    "EvaluationAnonymousRow",
    "EvaluationNamedRow",
    "EvaluationOccurrenceRow",
    "EvaluationRespondentRow",
    "EvaluationRow",
    "EvaluationSendRow",
    "IdentityRow",
    "InteractionClaimRow",
    "InvitationRow",
    "JoinRequestRow",
    "LibraryVersionRow",
    "LinkCodeRow",
    "MatchOptInRow",
    "MatchPlaceRow",
    "MatchRoundRow",
    "MeetingDiscussionRow",
    "MeetingRow",
    "MeetingsVersionRow",
    "MemberInterestRow",
    "MemberRow",
    "OccurrenceChangeRow",
    "PollChoiceRow",
    "PollOptionRow",
    "PollPostRow",
    "PollRow",
    "PollVoterRow",
    "QuestionPostRow",
    "QuestionRow",
    "QuestionUpvoteRow",
    "ResourceAuditRow",
    "ResourceRetirementRow",
    "ResourceRow",
    "ResourceTopicRow",
    "RoleChangeRow",
    "RsvpRow",
]
