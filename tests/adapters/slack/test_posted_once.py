"""Keyed posts on Slack: the delivery's key rides in the message's metadata, and a
recheck (a claim taken over after a crash) finds it in the channel's recent history
instead of posting it again."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.poster import EVENT_TYPE, HISTORY_LIMIT, SlackPoster
from adapters.slack.render import render
from bot.delivery import Broadcaster
from bot.identity import Identity
from bot.messages import Message, Section, ToChannel, ToMember, say, text
from tests.adapters.slack.harness import BOT_TOKEN
from tests.fakes.slack import FakeSlack

KEY = "7/20300107T150000/remind/0/slack:#"
MARIA = Identity("slack", "T1", "U1")


@pytest.fixture
async def broadcaster(fake: FakeSlack) -> AsyncIterator[tuple[Broadcaster, SlackPoster]]:
    poster = SlackPoster(AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url), interval=0.0)
    broadcaster = Broadcaster()
    broadcaster.connect(poster)
    yield broadcaster, poster


def history_calls(fake: FakeSlack) -> int:
    """Reads of a channel's history that Slack answered."""
    return len([c for c in fake.calls_to("conversations.history") if c.ok])


async def test_a_keyed_post_carries_its_key_in_the_metadata(
    fake: FakeSlack, broadcaster: tuple[Broadcaster, SlackPoster]
) -> None:
    send, _ = broadcaster
    [posted] = await send.send("slack", ToChannel("general"), say(text("Soon")), key=KEY)
    [stored] = fake.messages_in("C1")
    assert stored["metadata"] == {
        "event_type": EVENT_TYPE,
        "event_payload": {"key": KEY, "part": 0},
    }
    assert posted.message_id == stored["ts"]
    assert history_calls(fake) == 0  # a first attempt does not look: nothing can be there yet


async def test_a_recheck_finds_the_post_a_dead_instance_made_and_posts_nothing(
    fake: FakeSlack, broadcaster: tuple[Broadcaster, SlackPoster]
) -> None:
    send, _ = broadcaster
    [first] = await send.send("slack", ToChannel("general"), say(text("Soon")), key=KEY)
    fake.add_message("C1", "someone talks in between", user="U1")
    # Another instance (a fresh poster: nothing remembered) takes the claim over.
    other = Broadcaster()
    other.connect(SlackPoster(AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url)))
    [again] = await other.send(
        "slack", ToChannel("general"), say(text("Soon")), key=KEY, recheck=True
    )
    assert again == first
    assert [m["text"] for m in fake.messages_in("C1")] == ["Soon", "someone talks in between"]
    # chat:write.public posted without joining; reading needs the bot in the channel.
    refused, read = fake.calls_to("conversations.history")
    assert refused.response["error"] == "not_in_channel" and "C1" in fake.joined
    assert read.params["include_all_metadata"] in ("1", True)
    assert int(read.params["limit"]) == HISTORY_LIMIT


async def test_a_recheck_posts_what_is_not_there(
    fake: FakeSlack, broadcaster: tuple[Broadcaster, SlackPoster]
) -> None:
    send, _ = broadcaster
    await send.send("slack", ToChannel("general"), say(text("Another one")), key="other")
    await send.send("slack", ToChannel("general"), say(text("Soon")), key=KEY, recheck=True)
    assert [m["text"] for m in fake.messages_in("C1")] == ["Another one", "Soon"]


async def test_a_direct_message_is_rechecked_in_the_direct_conversation(
    fake: FakeSlack, broadcaster: tuple[Broadcaster, SlackPoster]
) -> None:
    send, _ = broadcaster
    dm = "@12"  # a DM's key names the member, whichever platform it goes to
    [first] = await send.send("slack", ToMember((MARIA,)), say(text("Soon")), key=dm)
    [again] = await send.send("slack", ToMember((MARIA,)), say(text("Soon")), key=dm, recheck=True)
    assert again == first and first.channel.startswith("D")
    assert [m["text"] for m in fake.messages_in(first.channel)] == ["Soon"]


async def test_a_group_dm_carries_its_key_and_a_retaken_one_is_found_not_repeated(
    fake: FakeSlack, broadcaster: tuple[Broadcaster, SlackPoster]
) -> None:
    send, _ = broadcaster
    fake.add_user("U2", real_name="Ana")
    group = [MARIA, Identity("slack", "T1", "U2")]
    key = "match/3/group/1/intro/en"
    first = await send.send_to_group("slack", group, say(text("Meet")), key=key)
    assert first is not None and first.channel in fake.group_dms
    [stored] = fake.messages_in(first.channel)
    assert stored["metadata"]["event_payload"] == {"key": key, "part": 0}
    # The instance died before marking it; another (nothing remembered) takes it over.
    other = Broadcaster()
    other.connect(SlackPoster(AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url)))
    again = await other.send_to_group("slack", group, say(text("Meet")), key=key, recheck=True)
    assert again == first
    assert [m["text"] for m in fake.messages_in(first.channel)] == ["Meet"]
    # Another language's message of the same group, not yet posted, is posted.
    spanish = key.replace("/en", "/es")
    await other.send_to_group("slack", group, say(text("Conozca")), key=spanish, recheck=True)
    assert [m["text"] for m in fake.messages_in(first.channel)] == ["Meet", "Conozca"]


async def test_a_long_message_cut_short_by_a_crash_gets_only_its_missing_part(
    fake: FakeSlack, broadcaster: tuple[Broadcaster, SlackPoster]
) -> None:
    send, poster = broadcaster
    long = Message(tuple(Section(text(f"line {n}")) for n in range(60)))
    parts = render(long)
    assert len(parts) == 2
    ts = await poster.send("C1", parts[0], key=KEY, part=0)  # then the process died
    [posted] = await send.send("slack", ToChannel("general"), long, key=KEY, recheck=True)
    assert posted.message_id == ts
    stored = fake.messages_in("C1")
    assert [m["metadata"]["event_payload"]["part"] for m in stored] == [0, 1]


async def test_one_history_read_answers_a_burst_of_rechecks_in_a_channel(
    fake: FakeSlack, broadcaster: tuple[Broadcaster, SlackPoster]
) -> None:
    send, _ = broadcaster
    for n in range(3):
        await send.send("slack", ToChannel("general"), say(text(f"r{n}")), key=f"k{n}")
    fresh = Broadcaster()
    fresh.connect(SlackPoster(AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url)))
    for n in range(5):  # three were posted before the crash, two were not
        await fresh.send(
            "slack", ToChannel("general"), say(text(f"r{n}")), key=f"k{n}", recheck=True
        )
    assert [m["text"] for m in fake.messages_in("C1")] == [f"r{n}" for n in range(5)]
    assert history_calls(fake) == 1


async def test_a_read_is_not_reused_once_it_is_old(fake: FakeSlack) -> None:
    poster = SlackPoster(
        AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url), interval=0.0, history_reuse=0.0
    )
    for n in range(2):
        await poster.post_to_channel_once("general", say(text(f"r{n}")), key=f"k{n}", recheck=True)
    assert history_calls(fake) == 2


async def test_a_failed_post_makes_the_next_recheck_read_again(
    fake: FakeSlack, broadcaster: tuple[Broadcaster, SlackPoster]
) -> None:
    send, _ = broadcaster
    await send.send("slack", ToChannel("general"), say(text("r0")), key="k0", recheck=True)
    fake.fail_next("chat.postMessage", "internal_error")
    with pytest.raises(Exception, match="internal_error"):
        await send.send("slack", ToChannel("general"), say(text("r1")), key="k1", recheck=True)
    await send.send("slack", ToChannel("general"), say(text("r1")), key="k1", recheck=True)
    assert history_calls(fake) == 2
    assert [m["text"] for m in fake.messages_in("C1")] == ["r0", "r1"]


async def test_history_that_cannot_be_read_is_logged_and_the_post_made(
    fake: FakeSlack,
    broadcaster: tuple[Broadcaster, SlackPoster],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    send, _ = broadcaster
    fake.fail_next("conversations.history", "missing_scope")
    await send.send("slack", ToChannel("general"), say(text("Soon")), key=KEY, recheck=True)
    assert [m["text"] for m in fake.messages_in("C1")] == ["Soon"]  # late rather than lost
    assert "missing_scope" in caplog.text and KEY in caplog.text


async def test_without_a_key_nothing_is_added(
    fake: FakeSlack, broadcaster: tuple[Broadcaster, SlackPoster]
) -> None:
    send, _ = broadcaster
    await send.send("slack", ToChannel("general"), say(text("Plain")))
    [stored] = fake.messages_in("C1")
    assert "metadata" not in stored


async def test_a_channel_the_bot_may_not_join_is_logged_and_the_post_made(
    fake: FakeSlack,
    broadcaster: tuple[Broadcaster, SlackPoster],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    send, _ = broadcaster
    fake.fail_next("conversations.join", "missing_scope")  # an app made before channels:join
    await send.send("slack", ToChannel("general"), say(text("Soon")), key=KEY, recheck=True)
    assert [m["text"] for m in fake.messages_in("C1")] == ["Soon"]
    assert "missing_scope" in caplog.text
