"""What the funders' report keeps of a member who left: counts, under no member id.

A member who leaves has their answers, attendance and evaluation sends deleted by
those capabilities (their on_leave steps); just before, the reports capability
copies them here, so a past session's figures do not shrink. A row holds the
occurrence, the answer, whether they attended and were sent the evaluation, and
`person`: a random number drawn once per departure, so unique and returning
participants still count them once. No member id, name or organization: their
profile is erased before, and nothing here leads back to it.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema.base import Base


class DepartureRow(Base):
    __tablename__ = "report_departures"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    occurrence: Mapped[str] = mapped_column(String(10), primary_key=True)
    person: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    answer: Mapped[str | None] = mapped_column(String(16))  # going, maybe, not_going
    attended: Mapped[bool] = mapped_column(Boolean)
    evaluation_sent: Mapped[bool] = mapped_column(Boolean)
