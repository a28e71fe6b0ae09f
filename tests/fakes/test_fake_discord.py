"""The fake Discord driven by the real discord.py ``Client`` + ``app_commands.CommandTree``.

Only the two redirection points are touched (``Route.BASE`` and
``DiscordWebSocket.DEFAULT_GATEWAY``, via ``FakeDiscord.redirect_discord_py``); everything else
is discord.py talking HTTP and a zlib-stream gateway to the fake over loopback.
"""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import discord
import pytest
import pytest_asyncio
from discord import app_commands

from .discord import FakeDiscord
from .discord_payloads import FLAG_EPHEMERAL, FLAG_LOADING, GUILD_FORUM, modal_field_ids

WAIT = 10.0  # upper bound for every wait, so a broken test fails instead of hanging
TEMPLATE = r"cb:(?P<action>[a-z.]+):(?P<target>\w+)"


# --------------------------------------------------------------------------- a tiny bot


class VoteButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=TEMPLATE):
    """A persistent button: all its state lives in the custom_id, so any process can handle it."""

    def __init__(self, action: str, target: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=f"{action} {target}",
                style=discord.ButtonStyle.primary,
                custom_id=f"cb:{action}:{target}",
            )
        )
        self.action = action
        self.target = target

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> VoteButton:
        return cls(match["action"], match["target"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.edit_message(
            content=f"{self.action} recorded for {self.target} by {interaction.user.name}",
            view=None,
        )


class ProposalModal(discord.ui.Modal, title="New proposal"):
    proposal_title: discord.ui.TextInput[ProposalModal] = discord.ui.TextInput(
        label="Title", custom_id="proposal_title"
    )
    details: discord.ui.TextInput[ProposalModal] = discord.ui.TextInput(
        label="Details", style=discord.TextStyle.paragraph, custom_id="proposal_details"
    )

    def __init__(self, bot: CoalitionBot) -> None:
        super().__init__(custom_id="proposal_modal")
        self.bot = bot

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        self.bot.proposals.append((self.proposal_title.value, self.details.value))
        await interaction.response.send_message(
            f"Proposal received: {self.proposal_title.value}", ephemeral=True
        )


def vote_view(action: str, target: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton(action, target))
    return view


class CoalitionBot(discord.Client):
    def __init__(self, guild_id: int, **options: Any) -> None:
        # guild_ready_timeout: discord.py waits this long after the last GUILD_CREATE before
        # "ready" (default 2 s); the fake sends them all at once.
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=0.05, **options)
        self.guild_id = guild_id
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(coalition_commands(self), guild=discord.Object(guild_id))
        self.callback_results: list[discord.InteractionCallbackResponse[Any]] = []
        self.proposals: list[tuple[str, str]] = []
        self.seen: list[discord.Message] = []
        self.seen_event = asyncio.Event()

    async def setup_hook(self) -> None:
        self.add_dynamic_items(VoteButton)

    async def on_message(self, message: discord.Message) -> None:
        self.seen.append(message)
        self.seen_event.set()


def coalition_commands(bot: CoalitionBot) -> app_commands.Group:
    coalition = app_commands.Group(name="coalition", description="Coalition tools")
    admin = app_commands.Group(name="admin", description="Organizer tools", parent=coalition)

    @coalition.command(name="status", description="Show the coalition status")
    async def status(interaction: discord.Interaction[Any], private: bool = False) -> None:
        embed = discord.Embed(title="Coalition status", description="3 open proposals")
        result = await interaction.response.send_message(
            embed=embed, view=vote_view("vote.yes", "p42"), ephemeral=private
        )
        bot.callback_results.append(result)

    @admin.command(name="announce", description="Post an announcement")
    async def announce(interaction: discord.Interaction[Any], text: str, times: int = 1) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.05)  # "slow work"
        await interaction.followup.send(f"{text} x{times}")

    @announce.autocomplete("text")
    async def announce_text(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        drafts = ["Vote today", "Volunteers needed", "Meeting moved"]
        return [app_commands.Choice(name=d, value=d) for d in drafts if d.startswith(current)]

    @coalition.command(name="propose", description="Propose something")
    async def propose(interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_modal(ProposalModal(bot))

    return coalition


# --------------------------------------------------------------------------- fixtures


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        with server.redirect_discord_py():
            yield server
        assert server.server_errors == []


@asynccontextmanager
async def running(bot: CoalitionBot, fake: FakeDiscord) -> AsyncIterator[CoalitionBot]:
    """Log in, connect, wait for ready and sync the guild commands; always close."""
    await bot.login(fake.token)
    task = asyncio.create_task(bot.connect())
    ready = asyncio.create_task(bot.wait_until_ready())
    try:
        done, _ = await asyncio.wait({task, ready}, timeout=WAIT, return_when="FIRST_COMPLETED")
        if task in done:
            task.result()  # connect() ended early: surface its error
        assert ready in done, "client did not become ready"
        await bot.tree.sync(guild=discord.Object(bot.guild_id))
        yield bot
    finally:
        ready.cancel()
        await bot.close()
        await asyncio.wait_for(task, WAIT)


@pytest_asyncio.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[CoalitionBot]:
    async with running(CoalitionBot(fake.guild.id), fake) as client:
        yield client


def text_channel(
    bot: CoalitionBot, fake: FakeDiscord, name: str = "general"
) -> discord.TextChannel:
    channel = bot.get_channel(fake.channel(name).id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll client-side state that has no event to wait on (e.g. an await returning)."""
    try:
        async with asyncio.timeout(WAIT):
            while not condition():  # noqa: ASYNC110
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


# --------------------------------------------------------------------------- tests


@pytest.mark.asyncio
async def test_client_connects_becomes_ready_and_syncs_guild_commands(
    fake: FakeDiscord, bot: CoalitionBot
) -> None:
    conn = await fake.wait_ready(WAIT)
    assert conn.session is not None
    assert conn.session.intents == discord.Intents.default().value
    # discord.py asks for zlib-stream (zstd-stream with `zstandard` installed) and decoded
    # our compressed binary frames, or it would never have become ready.
    assert conn.compression in ("zlib-stream", "zstd-stream") and conn.compressed
    assert conn.received[0]["op"] == 1  # discord.py heartbeats right after HELLO

    guild = bot.get_guild(fake.guild.id)
    assert guild is not None and guild.name == "Coalition HQ"
    assert {c.name for c in guild.channels} == {"general", "announcements", "proposals"}
    assert isinstance(guild.get_channel(fake.channel("proposals").id), discord.ForumChannel)
    assert "Organizer" in {r.name for r in guild.roles}
    assert guild.me is not None and guild.me.id == fake.bot_user.id
    assert bot.application_id == fake.application_id

    put = await fake.wait_for_call(
        "PUT", "/applications/{app}/guilds/{guild}/commands", timeout=WAIT
    )
    assert put.headers["Authorization"] == f"Bot {fake.token}"
    (command,) = put.json
    assert command["name"] == "coalition"
    assert {o["name"] for o in command["options"]} == {"status", "propose", "admin"}
    synced = fake.registered_command("coalition", fake.guild.id)
    assert synced is not None and synced["guild_id"] == str(fake.guild.id)

    # A second sync keeps the command id, like Discord's bulk overwrite.
    (again,) = await bot.tree.sync(guild=discord.Object(fake.guild.id))
    assert again.id == int(synced["id"])


@pytest.mark.asyncio
async def test_slash_command_reply_with_embed_and_button(
    fake: FakeDiscord, bot: CoalitionBot
) -> None:
    response = await fake.interact(fake.slash_command("coalition", "status"), WAIT)

    assert response.type == 4
    assert response.call.query["with_response"] == "1"
    assert response.elapsed < 3
    assert response.data is not None
    assert response.data["embeds"][0]["title"] == "Coalition status"
    button = response.data["components"][0]["components"][0]
    assert button["custom_id"] == "cb:vote.yes:p42"
    assert not response.data.get("flags", 0) & FLAG_EPHEMERAL

    # The message is stored as Discord would show it, and discord.py parsed our
    # InteractionCallbackResponse (interaction + resource.message).
    assert response.message is not None
    assert fake.messages_in("general")[-1] is response.message
    # The fake records the callback before discord.py's await returns: wait for the bot side.
    await wait_until(lambda: len(bot.callback_results) == 1, "send_message to return")
    result = bot.callback_results[-1]
    assert result.message_id == int(response.message["id"])
    assert isinstance(result.resource, discord.InteractionMessage)
    assert result.resource.embeds[0].title == "Coalition status"

    private = await fake.interact(
        fake.slash_command("coalition", "status", {"private": True}, user="bob"), WAIT
    )
    assert private.data is not None and private.data["flags"] & FLAG_EPHEMERAL
    await wait_until(lambda: len(bot.callback_results) == 2, "send_message to return")
    assert bot.callback_results[-1].is_ephemeral()
    assert fake.messages_in("general", include_ephemeral=False)[-1] is response.message


@pytest.mark.asyncio
async def test_late_interaction_callback_is_refused(fake: FakeDiscord, bot: CoalitionBot) -> None:
    fake.interaction_deadline = 0.0  # every callback is "too late"
    errors: list[BaseException] = []

    async def on_error(interaction: discord.Interaction[Any], err: Exception) -> None:
        errors.append(err)

    bot.tree.on_error = on_error  # type: ignore[method-assign]
    late = await fake.interact(fake.slash_command("coalition", "status"), WAIT)

    assert not late.accepted and late.call.status == 404
    assert late.call.response["code"] == 10062
    await wait_until(lambda: bool(errors), "the bot to see the error")
    assert isinstance(errors[0].__cause__, discord.NotFound)
    assert fake.messages_in("general") == []


@pytest.mark.asyncio
async def test_deferred_response_then_follow_up(fake: FakeDiscord, bot: CoalitionBot) -> None:
    payload = fake.slash_command(
        "coalition", ["admin", "announce"], {"text": "Vote today", "times": 2}
    )
    options = payload["data"]["options"][0]["options"][0]["options"]
    assert {o["name"]: o["type"] for o in options} == {"text": 3, "times": 4}  # from the schema

    deferred = await fake.interact(payload, WAIT)
    assert deferred.type == 5
    follow_up = await fake.wait_for_call("POST", "/webhooks/{app}/{token}", timeout=WAIT)
    assert follow_up.query["wait"] == "1"
    assert follow_up.json["content"] == "Vote today x2"

    # The first follow-up replaces the "thinking..." placeholder, as on Discord.
    assert deferred.message is not None
    message = fake.messages[int(deferred.message["id"])]
    assert message["content"] == "Vote today x2"
    assert not message["flags"] & FLAG_LOADING
    assert follow_up.response["id"] == deferred.message["id"]


@pytest.mark.asyncio
async def test_autocomplete(fake: FakeDiscord, bot: CoalitionBot) -> None:
    payload = fake.autocomplete("coalition", "admin announce", {"text": "Vo"}, focused="text")
    answered = await fake.interact(payload, WAIT)

    assert answered.type == 8 and answered.data is not None
    assert answered.data["choices"] == [
        {"name": "Vote today", "value": "Vote today"},
        {"name": "Volunteers needed", "value": "Volunteers needed"},
    ]


@pytest.mark.asyncio
async def test_dynamic_item_button_click_edits_the_message(
    fake: FakeDiscord, bot: CoalitionBot
) -> None:
    posted = await text_channel(bot, fake).send("Vote on p42", view=vote_view("vote.yes", "p42"))

    click = await fake.interact(
        fake.component_click("cb:vote.yes:p42", posted.id, user="bob"), WAIT
    )

    assert click.type == 7
    assert click.data is not None
    assert click.data["content"] == "vote.yes recorded for p42 by bob"
    assert click.data["components"] == []
    stored = fake.messages[posted.id]
    assert stored["content"] == "vote.yes recorded for p42 by bob"
    assert stored["edited_timestamp"] is not None


@pytest.mark.asyncio
@pytest.mark.parametrize("labels", [False, True], ids=["action-rows", "labels"])
async def test_modal_submit_is_handled(fake: FakeDiscord, bot: CoalitionBot, labels: bool) -> None:
    opened = await fake.interact(fake.slash_command("coalition", "propose"), WAIT)
    assert opened.type == 9 and opened.data is not None
    assert opened.data["title"] == "New proposal"
    assert modal_field_ids(opened.data) == ["proposal_title", "proposal_details"]

    values = {"proposal_title": "More clinics", "proposal_details": "Open two more."}
    submit = fake.modal_submit(opened.data["custom_id"], values, user="alice", labels=labels)
    answered = await fake.interact(submit, WAIT)

    assert answered.type == 4 and answered.data is not None
    assert answered.data["content"] == "Proposal received: More clinics"
    assert answered.data["flags"] & FLAG_EPHEMERAL
    assert bot.proposals == [("More clinics", "Open two more.")]


@pytest.mark.asyncio
async def test_429_on_channel_post_is_waited_out_and_sent_once(
    fake: FakeDiscord, bot: CoalitionBot
) -> None:
    general = fake.channel("general")
    fake.rate_limit_next("/channels/{channel_id}/messages", retry_after=0.3, method="POST")
    loop = asyncio.get_running_loop()
    started = loop.time()

    sent = await text_channel(bot, fake).send("Reminder: meeting tonight")

    assert loop.time() - started >= 0.3
    posts = fake.find_calls("POST", f"/channels/{general.id}/messages")
    assert [c.status for c in posts] == [429, 200]
    assert posts[0].response["retry_after"] == 0.3 and posts[0].response["global"] is False
    assert fake.rate_limited_count == 1
    contents = [m["content"] for m in fake.messages_in(general)]
    assert contents.count("Reminder: meeting tonight") == 1
    assert sent.id == int(posts[1].response["id"])


@pytest.mark.asyncio
async def test_per_channel_limit_and_webhook_429(fake: FakeDiscord, bot: CoalitionBot) -> None:
    general = fake.channel("general")
    fake.limit_channel_messages(general, limit=2, per=0.4)
    channel = text_channel(bot, fake)
    for n in range(3):
        await channel.send(f"update {n}")
    assert [m["content"] for m in fake.messages_in(general)] == ["update 0", "update 1", "update 2"]
    # discord.py read X-RateLimit-Remaining: 0 and waited; at most one 429 slipped through.
    assert fake.rate_limited_count <= 1

    # Interaction follow-ups go through discord.py's webhook adapter, which retries too.
    fake.rate_limit_next("/webhooks/{app}/{token}", retry_after=0.2, method="POST")
    payload = fake.slash_command("coalition", "admin announce", {"text": "Retry me"})
    await fake.interact(payload, WAIT)
    await fake.wait_for_call("POST", "/webhooks/{app}/{token}", lambda c: c.status == 200, WAIT)
    assert [c.status for c in fake.find_calls("POST", "/webhooks/{app}/{token}")] == [429, 200]


@pytest.mark.asyncio
async def test_enforced_nonce_deduplicates_posts(fake: FakeDiscord, bot: CoalitionBot) -> None:
    channel = text_channel(bot, fake)
    first = await channel.send("Only once", nonce=4242)
    second = await channel.send("Only once", nonce=4242)

    assert first.id == second.id
    assert [m["content"] for m in fake.messages_in("general")] == ["Only once"]


@pytest.mark.asyncio
async def test_allowed_mentions_are_recorded_as_sent(fake: FakeDiscord) -> None:
    alice = fake.member("alice")
    text = f"@everyone the vote is open <@{alice.id}>"
    quiet = discord.AllowedMentions(everyone=False, roles=False, users=True)
    async with running(CoalitionBot(fake.guild.id, allowed_mentions=quiet), fake) as bot:
        await text_channel(bot, fake).send(text)
        response = await fake.interact(fake.slash_command("coalition", "status"), WAIT)

    post = fake.find_calls("POST", "/channels/{channel_id}/messages")[-1]
    assert post.json["allowed_mentions"] == {"parse": ["users"], "replied_user": True}
    assert "everyone" not in post.json["allowed_mentions"]["parse"]
    stored = fake.messages[int(post.response["id"])]
    assert stored["mention_everyone"] is False
    assert [u["id"] for u in stored["mentions"]] == [str(alice.id)]
    # Interaction responses carry the client-wide default as well.
    assert response.data is not None
    assert response.data["allowed_mentions"]["parse"] == ["users"]

    # Without allowed_mentions Discord would ping everyone: the fake shows that too.
    async with running(CoalitionBot(fake.guild.id), fake) as loud:
        loud_message = await text_channel(loud, fake).send(text)
    assert fake.messages[loud_message.id]["mention_everyone"] is True


@pytest.mark.asyncio
async def test_restart_new_client_handles_click_on_old_message(fake: FakeDiscord) -> None:
    async with running(CoalitionBot(fake.guild.id), fake) as bot_a:
        first = await fake.wait_ready(WAIT)
        posted = await text_channel(bot_a, fake).send(
            "RSVP for event 7", view=vote_view("rsvp.yes", "event7")
        )
    assert first.ws.closed

    async with running(CoalitionBot(fake.guild.id), fake):
        second = await fake.wait_ready(WAIT, identifies=2)
        assert second is not first and second.index == 2
        click = fake.component_click("cb:rsvp.yes:event7", posted.id, user="carol")
        answered = await fake.interact(click, WAIT)

    assert answered.type == 7 and answered.data is not None
    assert answered.data["content"] == "rsvp.yes recorded for event7 by carol"
    assert fake.messages[posted.id]["content"] == "rsvp.yes recorded for event7 by carol"


@pytest.mark.asyncio
async def test_server_side_close_and_reconnect_resume(fake: FakeDiscord, bot: CoalitionBot) -> None:
    first = await fake.wait_ready(WAIT)
    await fake.close_gateway(code=4000)
    second = await fake.wait_ready(WAIT)
    assert second is not first and second.resumed
    assert second.received[-1]["op"] == 6  # RESUME, not IDENTIFY

    await fake.request_reconnect()  # op 7
    await wait_until(lambda: fake.live_connection not in (None, second), "a third connection")
    third = await fake.wait_ready(WAIT)
    assert third.resumed and fake.identify_count == 1

    answered = await fake.interact(fake.slash_command("coalition", "status"), WAIT)
    assert answered.type == 4


@pytest.mark.asyncio
async def test_message_create_respects_message_content_intent(
    fake: FakeDiscord, bot: CoalitionBot
) -> None:
    await fake.message_create("general", "alice", "hello everyone")
    await fake.message_create("general", "bob", f"<@{fake.bot_user.id}> help")
    await wait_until(lambda: len(bot.seen) >= 2, "two messages")

    plain, mention = bot.seen[-2:]
    assert plain.author.name == "alice" and plain.content == ""  # no message_content intent
    assert mention.content == f"<@{fake.bot_user.id}> help"
    assert isinstance(plain.channel, discord.TextChannel)


@pytest.mark.asyncio
async def test_threads_forum_posts_dms_and_files(fake: FakeDiscord, bot: CoalitionBot) -> None:
    channel = text_channel(bot, fake)
    starter = await channel.send("Discussion: budget")
    thread = await starter.create_thread(name="budget")
    assert thread.id == starter.id  # Discord reuses the message id
    await wait_until(lambda: channel.guild.get_thread(thread.id) is not None, "THREAD_CREATE")
    await thread.send("first reply")
    assert [m["content"] for m in fake.messages_in(thread.id)] == ["first reply"]
    await thread.edit(archived=True)
    assert fake.channel(thread.id).archived

    forum = bot.get_channel(fake.channel("proposals").id)
    assert isinstance(forum, discord.ForumChannel) and forum.type.value == GUILD_FORUM
    tag = forum.available_tags[0]
    post = await forum.create_thread(
        name="More clinics", content="Proposal text", applied_tags=[tag]
    )
    assert post.thread.id == post.message.id
    assert fake.channel(post.thread.id).applied_tags == [tag.id]
    assert fake.messages_in(post.thread.id)[0]["content"] == "Proposal text"

    alice = await bot.fetch_user(fake.member("alice").id)
    await alice.send("Welcome to the coalition!")
    await alice.send("Second DM")
    dm_calls = fake.find_calls("POST", "/users/@me/channels")
    assert len({c.response["id"] for c in dm_calls}) == 1  # stable per recipient

    report = discord.File(io.BytesIO(b"minutes of the meeting"), filename="minutes.txt")
    sent = await channel.send("Minutes attached", file=report)
    upload = fake.find_calls("POST", f"/channels/{channel.id}/messages")[-1]
    assert upload.json["content"] == "Minutes attached"
    assert [(f.filename, f.data) for f in upload.files] == [
        ("minutes.txt", b"minutes of the meeting")
    ]
    async with aiohttp.ClientSession() as session, session.get(sent.attachments[0].url) as resp:
        assert await resp.read() == b"minutes of the meeting"


@pytest.mark.asyncio
async def test_unknown_routes_are_recorded_as_404(fake: FakeDiscord, bot: CoalitionBot) -> None:
    with pytest.raises(discord.NotFound):
        await bot.http.request(discord.http.Route("GET", "/guilds/{guild_id}/bans", guild_id=1))
    call = await fake.wait_for_call("GET", r"/guilds/\d+/bans", timeout=WAIT)
    assert call.status == 404 and call.response["code"] == 0


@pytest.mark.asyncio
async def test_a_forum_post_is_refused_as_discord_would(
    fake: FakeDiscord, bot: CoalitionBot
) -> None:
    forum = bot.get_channel(fake.channel("proposals").id)
    assert isinstance(forum, discord.ForumChannel)
    with pytest.raises(discord.HTTPException) as too_long:
        await forum.create_thread(name="x" * 101, content="Proposal text")
    assert too_long.value.code == 50035
    with pytest.raises(discord.HTTPException) as no_message:
        await bot.http.request(
            discord.http.Route("POST", "/channels/{channel_id}/threads", channel_id=forum.id),
            json={"name": "Without a message"},
        )
    assert no_message.value.code == 50035
    assert [rejected for rejected, _ in fake.rejected] == [f"POST /channels/{forum.id}/threads"]


@pytest.mark.asyncio
async def test_a_forum_that_requires_a_tag_refuses_an_untagged_post(
    fake: FakeDiscord, bot: CoalitionBot
) -> None:
    forum = fake.guild.add_forum_channel("tagged", tags=("Climate", "Housing"), require_tag=True)
    route = discord.http.Route("POST", "/channels/{channel_id}/threads", channel_id=forum.id)
    post = {"name": "A post", "message": {"content": "Text"}}
    with pytest.raises(discord.HTTPException) as untagged:
        await bot.http.request(route, json=post)
    assert untagged.value.status == 400 and untagged.value.code == 40067
    assert "A tag is required" in untagged.value.text
    with pytest.raises(discord.HTTPException) as unknown:
        await bot.http.request(route, json={**post, "applied_tags": ["1"]})
    assert unknown.value.code == 50035
    tag = forum.available_tags[1]["id"]
    created = await bot.http.request(route, json={**post, "applied_tags": [tag]})
    assert created["applied_tags"] == [tag]


@pytest.mark.asyncio
async def test_a_nonce_past_its_window_makes_a_new_message(
    fake: FakeDiscord, bot: CoalitionBot
) -> None:
    channel = text_channel(bot, fake)
    fake.nonce_window = 0.0  # Discord keeps a nonce "a few minutes"; here, not at all
    first = await channel.send("Twice", nonce="same-nonce")
    second = await channel.send("Twice", nonce="same-nonce")
    assert first.id != second.id
    assert [m["content"] for m in fake.messages_in("general")] == ["Twice", "Twice"]


@pytest.mark.asyncio
async def test_a_nonce_is_refused_as_discord_refuses_it(
    fake: FakeDiscord, bot: CoalitionBot
) -> None:
    channel = text_channel(bot, fake)
    with pytest.raises(discord.HTTPException, match="at most 25"):
        await channel.send("Too long", nonce="x" * 26)
    fake.rejected.clear()  # expected here; the fixture fails tests that leave refusals
    # A nonce of 25 characters is Discord's longest.
    await channel.send("Fits", nonce="x" * 25)
    assert [m["content"] for m in fake.messages_in("general")] == ["Fits"]
