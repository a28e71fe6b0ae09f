"""Counts are said once: "2 replies", never "2 replies replies", in every language."""

from __future__ import annotations

import pytest

from tests.core.test_discussions import reply_in_thread, setup, started
from tests.harness import Harness, text_of


@pytest.mark.parametrize(
    ("language", "said", "closed"),
    [
        ("en", "2 replies, last activity", "1 reply, last activity"),
        ("es", "2 respuestas, última actividad", "1 respuesta, última actividad"),
    ],
)
async def test_discussion_list_says_the_reply_count_once(
    harness: Harness, language: str, said: str, closed: str
) -> None:
    poster = await setup(harness)
    await harness.say("lee", f"profile edit language={language}")
    thread = await started(harness, poster)
    other = await started(harness, poster, 'discussion start title="Heat" question="Who?"')
    assert await reply_in_thread(harness, thread, minutes=1)
    assert await reply_in_thread(harness, thread, minutes=2)
    assert await reply_in_thread(harness, other, minutes=3)
    await harness.say("maria", "discussion close id=2")
    listed = text_of(await harness.say("lee", "discussion list"))
    assert said in listed and closed in listed, listed
    assert "replies replies" not in listed and "respuestas respuestas" not in listed
