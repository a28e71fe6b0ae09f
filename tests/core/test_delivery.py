"""The Broadcaster: notices on every connected platform; strict sends; optional edits."""

from __future__ import annotations

import pytest

from bot.delivery import Broadcaster
from bot.identity import Identity
from bot.messages import Message, Notice, Plain, ToChannel, ToMember, say
from bot.ports import PostedMessage

HELLO = say((Plain("hello"),))


class Platform:
    """A poster that records, can fail on demand, and can edit."""

    def __init__(self, platform: str, *, fail: bool = False) -> None:
        self.platform = platform
        self.fail = fail
        self.posts: list[tuple[str, Message]] = []
        self.edits: list[tuple[PostedMessage, Message]] = []

    async def post_to_channel(self, channel: str, message: Message) -> PostedMessage:
        if self.fail:
            raise ConnectionError("platform down")
        self.posts.append((f"#{channel}", message))
        return PostedMessage(self.platform, channel, str(len(self.posts)))

    async def post_to_user(self, identity: Identity, message: Message) -> PostedMessage:
        if self.fail:
            raise ConnectionError("platform down")
        self.posts.append((f"@{identity.user_id}", message))
        return PostedMessage(self.platform, identity.user_id, str(len(self.posts)))

    async def edit(self, posted: PostedMessage, message: Message) -> None:
        self.edits.append((posted, message))


class PostOnly:
    platform = "console"

    async def post_to_channel(self, channel: str, message: Message) -> None:
        return None

    async def post_to_user(self, identity: Identity, message: Message) -> None:
        return None


MARIA = (Identity("slack", "T1", "U1"), Identity("discord", "G1", "42"))


async def test_notices_go_to_every_platform_and_members_on_theirs() -> None:
    slack, discord = Platform("slack"), Platform("discord")
    broadcaster = Broadcaster()
    broadcaster.connect(slack)
    broadcaster.connect(discord)
    failures = await broadcaster.deliver(
        [Notice(ToChannel("coordinators"), HELLO), Notice(ToMember(MARIA), HELLO)]
    )
    assert failures == 0
    assert [where for where, _ in slack.posts] == ["#coordinators", "@U1"]
    assert [where for where, _ in discord.posts] == ["#coordinators", "@42"]


async def test_one_failing_platform_does_not_stop_the_others() -> None:
    down, up = Platform("slack", fail=True), Platform("discord")
    broadcaster = Broadcaster()
    broadcaster.connect(down)
    broadcaster.connect(up)
    assert await broadcaster.deliver([Notice(ToChannel("general"), HELLO)]) == 1
    assert len(up.posts) == 1


async def test_send_raises_so_callers_can_retry_and_returns_refs() -> None:
    broadcaster = Broadcaster()
    broadcaster.connect(Platform("slack", fail=True))
    with pytest.raises(ConnectionError):
        await broadcaster.send("slack", ToChannel("general"), HELLO)
    broadcaster.connect(Platform("slack"))
    refs = await broadcaster.send("slack", ToMember(MARIA), HELLO)
    assert refs == [PostedMessage("slack", "U1", "1")]


async def test_edit_only_where_the_platform_can() -> None:
    editable = Platform("slack")
    broadcaster = Broadcaster()
    broadcaster.connect(editable)
    broadcaster.connect(PostOnly())
    assert await broadcaster.edit(PostedMessage("slack", "C1", "1"), HELLO)
    assert editable.edits and editable.edits[0][1] is HELLO
    assert not await broadcaster.edit(PostedMessage("console", "general", "1"), HELLO)
    assert not await broadcaster.edit(PostedMessage("discord", "1", "1"), HELLO)
