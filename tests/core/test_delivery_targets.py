"""Delivery targets: a value in the core, the same text in the database as before."""

from __future__ import annotations

import pytest

from bot.meetings.model import DeliveryTarget


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("slack:#", DeliveryTarget.channel("slack")),
        ("console:#", DeliveryTarget.channel("console")),
        ("@12", DeliveryTarget.dm(12)),
        ("slack:@5", DeliveryTarget("slack", 5)),  # a DM as keyed before migration 0012
    ],
)
def test_stored_text_and_value_round_trip(text: str, target: DeliveryTarget) -> None:
    assert DeliveryTarget.parse(text) == target
    assert str(target) == text
    assert target.direct == (target.member_id is not None)


@pytest.mark.parametrize("text", ["", "#", "slack", "slack:@", "@x", "slack:#x", ":#"])
def test_text_no_version_wrote_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a delivery target"):
        DeliveryTarget.parse(text)
