"""What attendance needs from storage (storage/attendance.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from bot.attendance.model import Attended, Candidate, Present, Source


class AttendanceRepository(Protocol):
    async def mark(
        self,
        meeting_id: int,
        occurrence: date,
        member_ids: Sequence[int],
        source: Source,
        at: datetime,
    ) -> list[int]:
        """Record each member present, once (an insert that ignores an existing row, so
        two clicks or two platforms at once leave one). Returns those newly recorded."""
        ...

    async def unmark(self, meeting_id: int, occurrence: date, member_ids: Sequence[int]) -> int:
        """Remove those members' rows; how many there were."""
        ...

    async def present(self, meeting_id: int, occurrence: date) -> list[Present]:
        """Active members marked present, in name order."""
        ...

    async def candidates(self) -> list[Candidate]:
        """Every active member, with the email of the invitation they joined with."""
        ...

    async def forget_member(self, member_id: int) -> None: ...

    async def history_of(self, member_id: int) -> list[Attended]:
        """The occurrences the member attended, oldest first."""
        ...


class AttendanceRepositories(Protocol):
    @property
    def attendance(self) -> AttendanceRepository: ...
