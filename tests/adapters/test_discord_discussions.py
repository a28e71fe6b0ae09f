"""Discussions in Discord end to end: the real discord.py against the fake Discord.

Start (the opening in #discussions and a thread started from it), replies in the
thread counted from MESSAGE_CREATE, the follower's batched DM, and the close:
the summary posted in the thread, which is then archived and locked.
"""

from __future__ import annotations

import asyncio

from adapters.bootstrap import App
from bot.config import Config
from bot.discussions.ingest import ReplyIngest
from bot.discussions.model import Discussion
from bot.discussions.replies import notify_followers
from bot.meetings.reminders import ReminderService
from storage import Storage
from tests.adapters.discord.conftest import (  # noqa: F401 - fixtures
    WAIT,
    buttons_of,
    discord_env,
    fake,
    running_bot,
    text_of,
)
from tests.adapters.discord.opening import admin_bot
from tests.fakes.discord import FakeDiscord, RecordedCall
from tests.fakes.discord_payloads import MANAGE_THREADS


async def replies_of(app: App, discussion_id: int, expected: int) -> int:
    """The stored reply count, once it reaches `expected` (gateway events arrive on their own).

    Counts are buffered (bot/discussions/ingest.py): each look writes them first.
    """
    async with asyncio.timeout(5):
        while True:
            await app.dispatcher.services.get(ReplyIngest).flush()
            async with app.storage.unit_of_work() as uow:
                found = await uow.discussions.get(discussion_id)
            assert found is not None
            if found.replies >= expected:
                return found.replies
            await asyncio.sleep(0.01)


async def test_start_count_replies_notify_and_close_in_discord(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    channel = fake.guild.add_text_channel("discussions")
    config = Config(admins=(f"discord:{fake.member('alice').id}",))
    async with running_bot(fake, sqlite, config) as bot:
        for user, name in (("alice", "Alice Admin"), ("carol", "Carol Diaz")):
            options = {"name": name, "organization": "County PH", "discipline": "Policy"}
            await bot.command("join", {**options, "region": "West"}, user=user)
        started = await bot.command(
            "discussion start",
            {"title": "Advisory boards", "question": "How did you set yours up?"},
            user="alice",
        )
        assert "Started discussion `#1`" in text_of(started.data)
        opening = await fake.wait_for_message("discussions", timeout=WAIT)
        assert "Advisory boards" in text_of(opening)
        thread = fake.channel(int(opening["id"]))  # started from the message: same id
        assert thread.is_thread and thread.parent_id == channel.id
        assert thread.name == "Advisory boards"

        followed = await bot.command("discussion follow", {"id": 1}, user="carol")
        assert "You now follow" in text_of(followed.data)
        for text in ("We used a survey.", "Pay members.", "Meet quarterly."):
            await fake.message_create(channel, "carol", text, thread=thread)
        await fake.message_create(channel, "carol", "Not in the thread")
        assert await replies_of(bot.app, 1, 3) == 3

        assert await notify_followers(bot.app.dispatcher.services) == 2
        dm = await fake.wait_for_message(fake.dm_channel("carol"), timeout=WAIT)
        assert "3 new replies in the discussion" in text_of(dm)

        closed = await bot.command(
            "discussion close", {"id": 1, "summary": "Start small."}, user="alice"
        )
        assert "Closed" in text_of(closed.data)
        note = await fake.wait_for_message(
            thread, lambda m: "Start small." in text_of(m), timeout=WAIT
        )
        assert "closed" in text_of(note)
        assert thread.archived and thread.locked
        assert await replies_of(bot.app, 1, 3) == 3


async def test_an_unknown_channel_or_a_missing_permission_is_refused(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    fake.guild.add_text_channel("discussions")
    bot_role = next(r for r in fake.guild.roles if r.managed)
    bot_role.permissions &= ~MANAGE_THREADS
    async with running_bot(fake, sqlite, Config()) as bot:
        options = {"name": "Carol Diaz", "organization": "PH", "discipline": "Policy"}
        await bot.command("join", {**options, "region": "West"}, user="carol")
        question = {"title": "Boards", "question": "How?"}
        unknown = await bot.command(
            "discussion start", {**question, "channel": "nowhere"}, user="carol"
        )
        assert "There is no channel" in text_of(unknown.data)
        assert "nowhere" in text_of(unknown.data)
        missing = await bot.command("discussion start", question, user="carol")
        assert "missing the **Manage Threads** permission" in text_of(missing.data)
    async with sqlite.unit_of_work() as uow:
        assert await uow.discussions.get(1) is None
    assert fake.messages_in("discussions") == []


async def test_in_a_forum_channel_the_discussion_is_a_post_and_the_list_links_it(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    forum = fake.guild.add_forum_channel("discussions")
    async with running_bot(fake, sqlite, Config()) as bot:
        options = {"name": "Carol Diaz", "organization": "PH", "discipline": "Policy"}
        await bot.command("join", {**options, "region": "West"}, user="carol")
        started = await bot.command(
            "discussion start",
            {"title": "Advisory boards", "question": "How did you set yours up?"},
            user="carol",
        )
        assert "Started discussion `#1`" in text_of(started.data)
        created = await fake.wait_for_call("POST", rf"/channels/{forum.id}/threads", timeout=WAIT)
        assert created.json is not None and created.json["name"] == "Advisory boards"
        post = next(c for c in fake.guild.channels if c.parent_id == forum.id)
        assert post.is_thread and post.name == "Advisory boards"
        opening = await fake.wait_for_message(post, timeout=WAIT)
        assert int(opening["id"]) == post.id  # a forum post's first message
        assert "How did you set yours up?" in text_of(opening)
        # Only the post: no message in the forum itself, no thread started from a message.
        assert fake.find_calls("POST", r"/channels/\d+/messages/\d+/threads") == []

        for text in ("We used a survey.", "Pay members."):
            await fake.message_create(forum, "carol", text, thread=post)
        assert await replies_of(bot.app, 1, 2) == 2

        listed = await bot.command("discussion list", user="carol")
        link = f"https://discord.com/channels/{fake.guild.id}/{post.id}"
        assert f"[Advisory boards](<{link}>)" in text_of(listed.data)
        assert "2 replies" in text_of(listed.data)

        closed = await bot.command("discussion close", {"id": 1, "summary": "Pay."}, user="carol")
        assert "Closed" in text_of(closed.data)
        await fake.wait_for_message(post, lambda m: "Pay." in text_of(m), timeout=WAIT)
        assert post.archived and post.locked


async def test_a_forum_that_requires_a_tag_gets_the_topics_tag_else_its_first(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    forum = fake.guild.add_forum_channel(
        "discussions", tags=("General", "Climate", "Housing"), require_tag=True
    )
    general, climate, housing = (int(t["id"]) for t in forum.available_tags)
    async with running_bot(fake, sqlite, Config()) as bot:
        options = {"name": "Carol Diaz", "organization": "PH", "discipline": "Policy"}
        await bot.command("join", {**options, "region": "West"}, user="carol")
        for title, topics in (
            ("Heat and housing", "housing, CLIMATE, wildfire"),
            ("Advisory boards", "boards"),
        ):
            started = await bot.command(
                "discussion start",
                {"title": title, "question": "What worked?", "topics": topics},
                user="carol",
            )
            assert "Started discussion" in text_of(started.data)

            def named(call: RecordedCall, title: str = title) -> bool:
                return call.json is not None and call.json["name"] == title

            await fake.wait_for_call("POST", rf"/channels/{forum.id}/threads", named, timeout=WAIT)
        posts = {c.name: c for c in fake.guild.channels if c.parent_id == forum.id}
        assert sorted(posts["Heat and housing"].applied_tags) == sorted([climate, housing])
        assert posts["Advisory boards"].applied_tags == [general]  # no topic matched
        assert fake.rejected == []


async def test_a_meeting_occurrence_gets_one_discussion_from_its_card(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    async with admin_bot(fake, sqlite, ("carol", "Carol Diaz")) as bot:
        assert bot.app.scheduler is not None
        meeting = {
            "title": "Office hours",
            "date": "2026-03-05",
            "time": "9am",
            "timezone": "America/Los_Angeles",
        }
        await bot.command("meeting schedule", meeting, user="alice")
        await bot.app.dispatcher.services.get(ReminderService).run_due()
        card = await fake.wait_for_message("announcements", timeout=WAIT)
        discuss = next(b for b in buttons_of(card) if b["label"] == "Agenda and notes")

        started = await bot.click(discuss["custom_id"], card, user="carol")
        assert "Started discussion `#1`" in text_of(started.data)
        opening = await fake.wait_for_message(
            "announcements", lambda m: "Agenda and notes for" in text_of(m), timeout=WAIT
        )
        assert "Office hours — Mar 5, 2026" in text_of(opening)
        thread = fake.channel(int(opening["id"]))  # the thread started from the opening
        assert thread.is_thread and thread.name == "Office hours — Mar 5, 2026"
        await thread_stored(sqlite, 1)

        again = await bot.click(discuss["custom_id"], card, user="alice")
        link = f"https://discord.com/channels/{fake.guild.id}/{thread.id}"
        assert "already has its discussion" in text_of(again.data)
        assert f"[Office hours — Mar 5, 2026](<{link}>)" in text_of(again.data)
        await fake.message_create("announcements", "alice", "Agenda: budgets", thread=thread)
        assert await replies_of(bot.app, 1, 1) == 1

        # The card links to the discussion now: the meeting's view, and the announcement
        # once the next sweep refreshes it; the button stays.
        line = f"Agenda and notes: [Office hours — Mar 5, 2026](<{link}>) (discussion `#1`)"
        viewed = await bot.command("meeting view", {"id": 1}, user="carol")
        assert line in text_of(viewed.data)
        await bot.app.dispatcher.services.get(ReminderService).run_due()
        edited = await fake.wait_for_message(
            "announcements", lambda m: m["id"] == card["id"] and line in text_of(m), timeout=WAIT
        )
        assert "Agenda and notes" in [b["label"] for b in buttons_of(edited)]
    async with sqlite.unit_of_work() as uow:
        assert await uow.discussions.get(2) is None  # one discussion for the occurrence


async def thread_stored(storage: Storage, discussion_id: int) -> Discussion:
    """The discussion, once its thread is stored (after the opening is posted)."""
    async with asyncio.timeout(5):
        while True:
            async with storage.unit_of_work() as uow:
                found = await uow.discussions.get(discussion_id)
            assert found is not None
            if found.threads:
                return found
            await asyncio.sleep(0.01)
