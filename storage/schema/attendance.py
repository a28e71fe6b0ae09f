"""Attendance: who was at an occurrence of a meeting, one row per member.

The occurrence is the same key the answers use (`meeting_rsvps.occurrence`: the
scheduled local date as YYYY-MM-DD), so a report joins the two directly. The
primary key makes a check-in from two platforms, or two clicks, one row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema.base import Base


class AttendanceRow(Base):
    __tablename__ = "attendance"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    occurrence: Mapped[str] = mapped_column(String(10), primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # 'checkin' (the button), 'coordinator' (marked by command), 'import' (a CSV).
    source: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime]
