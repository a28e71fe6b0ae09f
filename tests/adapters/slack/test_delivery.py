"""Slack's rules for what the bot sends: escaping, size limits, rate limits, retries."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest
from slack_sdk.errors import SlackApiError

from adapters.slack.forms import FormOrigin
from adapters.slack.render import render, render_one
from adapters.slack.replies import Origin
from bot.identity import Identity
from bot.messages import (
    Actions,
    Block,
    Button,
    Context,
    Field,
    Fields,
    Form,
    FormField,
    Heading,
    Link,
    Mention,
    Message,
    Moment,
    Notice,
    Section,
    Strong,
    ToChannel,
    say,
    text,
)
from bot.ports import Undeliverable
from tests.adapters.slack.harness import (
    APP_TOKEN,
    BOT_TOKEN,
    SIGNING_SECRET,
    WAIT,
    SlackScene,
    texts,
)

PINGS = ("<!channel>", "<!everyone>", "<!here>", "<@U123>")
NASTY = "<!channel> & <@U123> <!everyone> <!here>"


async def test_a_member_named_like_a_ping_never_pings(slack: SlackScene) -> None:
    fake = slack.fake
    # Slack sends what was typed with &, < and > as entities.
    typed = NASTY.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    joined = await slack.command(
        f'join name="{typed}" organization="{typed}" discipline=Nursing region=West'
    )
    await slack.answer(joined)
    member = await slack.member("U1")
    assert member is not None and member.name == NASTY  # stored as typed

    answers = [
        await slack.answer(await slack.command(command))
        for command in ("profile view", "directory", "profile view <@U1|maria>")
    ]
    sent = [a.params for a in answers] + [joined.ack]
    rendered = list(texts(sent))
    assert any("&lt;!channel&gt; &amp; &lt;@U123&gt;" in t for t in rendered)
    for ping in PINGS:
        assert not [t for t in rendered if ping in t], ping
    assert not [c for c in fake.calls if any(p in str(c.params) for p in PINGS)]


def test_markup_comes_only_from_the_message_structure() -> None:
    maria = Identity("slack", "T1", "U1")
    at = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    message = Message(
        (
            Section(
                (
                    *text("Hi "),
                    Mention("Maria", (Identity("discord", "g", "1"), maria)),
                    *text(", "),
                    Mention("<!here>", (Identity("discord", "g", "1"),)),
                    *text(" see "),
                    Link("https://example.org/a?b=1&c=2", "the <toolkit>"),
                    *text(" or "),
                    Link("javascript:alert(1)", "this"),
                    *text(" at "),
                    Moment(at, "Mar 2, 2026, 9:00 AM (America/Chicago)"),
                    Strong(" bold "),
                )
            ),
        )
    )
    (rendered,) = render(message)
    assert rendered.blocks[0]["text"]["text"] == (
        "Hi <@U1>, @&lt;!here&gt; see <https://example.org/a?b=1&amp;c=2|the &lt;toolkit&gt;>"
        " or this (javascript:alert(1)) at "
        "<!date^1772463600^{date_short_pretty} {time}|Mar 2, 2026, 9:00 AM (America/Chicago)>"
        " *bold* "
    )
    assert rendered.text == (
        "Hi @Maria, @&lt;!here&gt; see the &lt;toolkit&gt; (https://example.org/a?b=1&amp;c=2)"
        " or this (javascript:alert(1)) at Mar 2, 2026, 9:00 AM (America/Chicago) bold "
    )


async def test_long_messages_are_split_within_slack_limits(slack: SlackScene) -> None:
    fake = slack.fake
    long_section = Section(text("word " * 1400))  # 7,000 characters
    lines: list[Block] = [Context(text(f"line {n}")) for n in range(59)]
    message = Message((Heading("H" * 200), long_section, *lines))
    await slack.bot.poster.post("C1", message)  # the fake rejects anything over a limit

    posted = fake.messages_in("C1")
    assert [len(m["blocks"]) for m in posted] == [50, 13]
    sections = [b["text"]["text"] for m in posted for b in m["blocks"] if b["type"] == "section"]
    assert len(sections) == 3 and all(len(s) <= 3000 for s in sections)
    assert "".join(sections) == "word " * 1400  # split, nothing lost
    header = posted[0]["blocks"][0]["text"]["text"]
    assert len(header) == 150 and header.endswith("…")
    assert posted[1]["blocks"][-1]["elements"][0]["text"] == "line 58"

    # A message replaced in place must stay one message: it ends with how much was left out.
    shortened = render_one(message)
    assert len(shortened.blocks) == 50
    assert shortened.blocks[-1]["elements"][0]["text"] == "… +14"  # of 63 Slack blocks


def test_fields_buttons_and_values_are_cut_to_their_limits() -> None:
    many_fields = Fields(tuple(Field(f"F{n}", text("v" * 2500)) for n in range(23)))
    buttons = Actions(tuple(Button("B" * 100, "join.approve", str(n)) for n in range(30)))
    long_target = Actions((Button("Open", "join.approve", "x" * 2500),))
    (rendered,) = render(Message((many_fields, buttons, long_target)))
    sections = [b for b in rendered.blocks if b["type"] == "section"]
    assert [len(b["fields"]) for b in sections] == [10, 10, 3]
    assert all(
        len(f["text"]) <= 2000 and f["text"].endswith("…") for b in sections for f in b["fields"]
    )
    actions = [b for b in rendered.blocks if b["type"] == "actions"]
    assert [len(b["elements"]) for b in actions] == [25, 5, 1]
    ids = [e["action_id"] for b in actions for e in b["elements"]]
    assert len(set(ids)) == len(ids) and all(len(i) <= 255 for i in ids)
    assert all(len(e["text"]["text"]) <= 75 for b in actions for e in b["elements"])
    # A target Slack cannot carry is left out, rather than have Slack refuse the message.
    assert "value" not in actions[-1]["elements"][0]


async def test_a_long_modal_title_is_shortened(slack: SlackScene) -> None:
    form = Form(
        ("join",),
        "Suggest a resource for the coalition library",
        (FormField("name", "Name", "", "text", required=True),),
    )
    origin = Origin("T1", "U1", "C1", trigger_id="1.2.abc")
    await slack.bot.replier.open_form(form, origin)
    call = await slack.fake.wait_for_call("views.open", timeout=WAIT)
    assert call.ok, call.response  # the fake rejects titles over 24 characters
    assert call.params["view"]["title"]["text"] == "Suggest a resource for…"
    origin_back = FormOrigin.decode(call.params["view"]["private_metadata"])
    assert origin_back is not None and origin_back.path == ("join",)


async def test_a_429_is_waited_out_and_the_message_arrives_once(slack: SlackScene) -> None:
    fake = slack.fake
    fake.fail_with_429_once("chat.postMessage", retry_after=1)
    await slack.bot.poster.post_to_channel("general", say(text("Meeting moved")))
    first, second = fake.calls_to("chat.postMessage")
    assert (first.status, second.status) == (429, 200)
    assert [m["text"] for m in fake.messages_in("C1")] == ["Meeting moved"]


async def test_a_burst_in_one_channel_is_paced_and_nothing_is_dropped(slack: SlackScene) -> None:
    fake = slack.fake
    fake.rate_limit_per_channel(posts_per_second=1.0)
    poster = slack.bot.poster
    posted = await asyncio.gather(
        *(poster.post_to_channel("general", say(text(f"notice {n}"))) for n in range(5)),
        poster.post_to_channel("coordinators", say(text("elsewhere"))),
    )
    assert [m["text"] for m in fake.messages_in("C1")] == [f"notice {n}" for n in range(5)]
    assert [m["text"] for m in fake.messages_in("C9")] == ["elsewhere"]
    assert fake.rate_limited_count == 0  # paced below the limit, so Slack never had to refuse
    # Where each went, so the core can edit it later (live counts on a meeting post).
    assert [p.channel for p in posted if p] == ["C1"] * 5 + ["C9"]
    first = posted[0]
    assert first is not None
    await poster.edit(first, say(text("notice 0 (moved)")))
    assert fake.messages_in("C1")[0]["text"] == "notice 0 (moved)"


async def test_a_retried_delivery_has_no_second_effect(slack: SlackScene) -> None:
    fake = slack.fake
    joined = await slack.command(
        'join name="Maria Lopez" organization=Org discipline=Nursing region=West'
    )
    await slack.answer(joined)
    await slack.settled()
    calls, answers = len(fake.calls), len(fake.ephemerals_for("U1"))

    # Slack's retry (retry_attempt 1), then the same envelope again unmarked (a reconnect).
    for retry_attempt in (1, 0):
        again = await slack.send("slash_commands", joined.payload, retry_attempt=retry_attempt)
        assert again.ack == {}
        await slack.settled()
    assert len(fake.calls) == calls  # no post, no lookup
    assert len(fake.ephemerals_for("U1")) == answers  # and no second answer in the ack


async def test_logs_never_show_tokens_or_the_signing_secret(
    slack: SlackScene, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    slack.fake.fail_next("chat.postMessage", "channel_not_found")
    notices = (
        Notice(ToChannel("general"), say(text("x"))),
        Notice(ToChannel("nowhere"), say(text("x"))),
    )
    assert await slack.app.broadcaster.deliver(notices) == 2  # both failed, and were logged
    await slack.answer(await slack.command("help"))
    await slack.settled()
    logged = caplog.text + " ".join(repr(r.args) for r in caplog.records)
    assert "channel_not_found" in logged and "#nowhere" in logged
    for secret in (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET):
        assert secret not in logged  # ...without secrets
    assert BOT_TOKEN not in repr(slack.bot.settings)


async def test_a_direct_message_to_someone_slack_cannot_reach_is_undeliverable(
    slack: SlackScene,
) -> None:
    with pytest.raises(Undeliverable) as raised:
        await slack.bot.poster.post_to_user(Identity("slack", "T1", "U0GONE"), say(text("hi")))
    assert isinstance(raised.value.__cause__, SlackApiError)
    assert raised.value.__cause__.response["error"] == "user_not_found"
