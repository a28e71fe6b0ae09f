"""The unit of work the use cases see: the kernel's transaction and every capability's
repositories, assembled here, one line per capability.

storage/ implements it (storage/unit_of_work.py). Nothing in the kernel imports a
capability; this module is where their repositories meet, so Context and Services
can hand use cases a typed unit of work (tests/core/test_boundaries.py). The
platform protocols (bot/platforms.py) and PostedMessage are named here too, for
the adapters and storage that implement them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from bot.attendance.ports import AttendanceRepositories
from bot.dashboard.ports import DashboardRepositories
from bot.discussions.ports import DiscussionsRepositories
from bot.evaluations.ports import EvaluationsRepositories
from bot.matching.ports import MatchingRepositories
from bot.meetings.ports import MeetingsRepositories
from bot.membership.ports import MembershipRepositories
from bot.platforms import ChannelChecker as ChannelChecker
from bot.platforms import ChannelProblem as ChannelProblem
from bot.platforms import Editor as Editor
from bot.platforms import Poster as Poster
from bot.platforms import Posters as Posters
from bot.platforms import Threader as Threader
from bot.platforms import Undeliverable as Undeliverable
from bot.polls.ports import PollsRepositories
from bot.posted import PostedMessage as PostedMessage
from bot.questions.ports import QuestionsRepositories
from bot.reports.ports import ReportsRepositories
from bot.resources.ports import ResourcesRepositories
from bot.roster.ports import RosterRepositories
from bot.transaction import Transaction


class UnitOfWork(
    MembershipRepositories,
    ResourcesRepositories,
    MeetingsRepositories,
    DiscussionsRepositories,
    DashboardRepositories,
    RosterRepositories,
    PollsRepositories,
    QuestionsRepositories,
    AttendanceRepositories,
    MatchingRepositories,
    EvaluationsRepositories,
    ReportsRepositories,
    Transaction,
    Protocol,
):
    """One transaction with the repositories of every capability."""


UnitOfWorkFactory = Callable[[], UnitOfWork]
