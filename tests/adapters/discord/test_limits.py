"""Discord's limits: what the fake received is always within them, and nothing is lost silently."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import discord
import pytest

from adapters.discord import limits
from adapters.discord.render import _Embeds, render, render_one
from bot.identity import Identity
from bot.messages import (
    Actions,
    Block,
    Button,
    Context,
    Field,
    Fields,
    Heading,
    Mention,
    Message,
    Moment,
    Section,
    Strong,
    text,
)
from tests.adapters.discord.conftest import Bot, buttons_of, texts_of
from tests.fakes.discord_payloads import JSON

MARKER = "…(shortened)"


def words(count: int, prefix: str = "word") -> str:
    return " ".join(f"{prefix}{n:05d}" for n in range(count))


def within_limits(body: JSON) -> None:
    """One message body as sent: every Discord limit holds."""
    assert len(body.get("content") or "") <= limits.CONTENT
    embeds = body.get("embeds") or []
    assert len(embeds) <= limits.EMBEDS_PER_MESSAGE
    total = 0
    for embed in embeds:
        assert len(embed.get("title") or "") <= limits.EMBED_TITLE
        assert len(embed.get("description") or "") <= limits.EMBED_DESCRIPTION
        assert len(embed.get("fields") or []) <= limits.EMBED_FIELDS
        for field in embed.get("fields") or []:
            assert 0 < len(field["name"]) <= limits.FIELD_NAME
            assert 0 < len(field["value"]) <= limits.FIELD_VALUE
        total += sum(len(t) for t in texts_of({"embeds": [embed]}))
    assert total <= limits.EMBEDS_TOTAL
    rows = body.get("components") or []
    assert len(rows) <= limits.ROWS
    for row in rows:
        assert len(row["components"]) <= limits.BUTTONS_PER_ROW
        for item in row["components"]:
            assert len(item["custom_id"]) <= limits.CUSTOM_ID
            assert len(item["label"]) <= limits.BUTTON_LABEL


async def test_a_long_section_and_thirty_fields_arrive_whole_within_limits(bot: Bot) -> None:
    section = words(1100)  # 10,999 characters
    assert len(section) > 10_000
    fields = tuple(Field(f"Field {n}", text(f"value {n}")) for n in range(30))
    buttons = tuple(Button(f"Choice {n}", "join.approve", str(n)) for n in range(30))
    message = Message(
        (Heading("A long card"), Section(text(section)), Fields(fields), Actions(buttons))
    )

    assert bot.runner.poster is not None
    await bot.runner.poster.post_to_channel("general", message)

    bodies = [c.json for c in bot.fake.find_calls("POST", r"/channels/\d+/messages")]
    assert len(bodies) > 1  # split, not cut
    for body in bodies:
        within_limits(body)
    descriptions = " ".join(
        e.get("description") or "" for b in bodies for e in b.get("embeds") or []
    )
    assert descriptions.split() == section.split()  # every word, in order
    names = [
        f["name"] for b in bodies for e in b.get("embeds") or [] for f in e.get("fields") or []
    ]
    assert names == [f"Field {n}" for n in range(30)]
    # Buttons go under the last message; Discord takes 25 at most.
    assert [buttons_of(b) for b in bodies[:-1]] == [[]] * (len(bodies) - 1)
    assert len(buttons_of(bodies[-1])) == limits.BUTTONS
    assert bodies[0]["embeds"][0]["title"] == "A long card"


async def test_the_fake_refuses_what_discord_would_refuse(bot: Bot) -> None:
    """So that every test of the adapter is also a test of Discord's limits."""
    channel = bot.client.get_channel(bot.fake.channel("general").id)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as refused:
        await channel.send("x" * (limits.CONTENT + 1))
    assert refused.value.code == 50035
    assert bot.fake.rejected == [
        (f"POST /channels/{channel.id}/messages", ["content has 2001 characters (allowed 0..2000)"])
    ]
    bot.fake.rejected.clear()


async def test_long_plain_text_is_split_into_messages_of_2000(bot: Bot) -> None:
    section = words(1100)
    assert bot.runner.poster is not None
    await bot.runner.poster.post_to_channel("general", Message((Section(text(section)),)))
    contents = [c.json["content"] for c in bot.fake.find_calls("POST", r"/channels/\d+/messages")]
    assert len(contents) == 6
    assert all(len(c) <= limits.CONTENT for c in contents)
    assert " ".join(contents).split() == section.split()


def test_beyond_ten_messages_the_rest_is_shortened_with_a_marker() -> None:
    parts = render(Message((Section(text(words(20_000))),)), "en")
    assert len(parts) == limits.MESSAGES_PER_REPLY
    assert parts[-1].content is not None and parts[-1].content.endswith(MARKER)
    assert all(len(p.content or "") <= limits.CONTENT for p in parts)


def test_an_edit_in_place_is_one_message_shortened_with_a_marker() -> None:
    message = Message(
        (Heading("Request"), Section(text(words(1100))), Fields((Field("a", text("b")),)))
    )
    part = render_one(message, "en")
    assert part.embeds[-1].footer.text == MARKER
    assert sum(len(e) for e in part.embeds) <= limits.EMBEDS_TOTAL
    assert all(len(e.description or "") <= limits.EMBED_DESCRIPTION for e in part.embeds)


def test_a_message_rendered_again_shares_nothing_with_the_first_rendering() -> None:
    card = Message((Heading("Maria"), Fields((Field("Region", text("West")),))))
    first = render(card, "en")
    first[0].extra_items = [discord.ui.Button(label="Change answers")]
    first[0].embeds[0].title = "changed by its caller"
    again = render(card, "en")
    assert again[0].extra_items == []
    assert again[0].embeds[0].title == "Maria"
    long = Message((Section(text(words(20_000))),))
    assert len(render(long, "en")) == limits.MESSAGES_PER_REPLY
    assert (render_one(long, "en").content or "").endswith(MARKER)


def test_embed_sizes_counted_while_filling_agree_with_discord_py() -> None:
    # The renderer counts each embed's characters as it fills it, instead of asking
    # len(embed); the two must agree, or a message could pass 6000 unnoticed.
    embeds = _Embeds(MARKER, [])
    blocks: list[Block] = [
        Heading("Directory"),
        Section(text(words(900))),  # past one description: continues in a further embed
        Fields(tuple(Field(f"name {n}", text(words(3))) for n in range(30))),
        Context(text("after the fields: a new embed")),
        Heading("Second"),
        Fields((Field("a", text("b")),)),
    ]
    for block in blocks:
        embeds.add(block, several_fields=False)
    assert len(embeds.embeds) > 3
    assert embeds.sizes == [len(e) for e in embeds.embeds]


def test_the_marker_is_in_the_readers_language() -> None:
    parts = render(Message((Section(text(words(20_000))),)), "xx")
    assert parts[-1].content is not None and parts[-1].content.endswith(MARKER)  # English fallback


def test_long_titles_field_names_and_values_are_cut_with_a_sign() -> None:
    message = Message((Heading("T" * 300), Fields((Field("N" * 300, text("V" * 2000)),))))
    (part,) = render(message, "en")
    embed = part.embeds[0]
    assert embed.title is not None and len(embed.title) == limits.EMBED_TITLE
    assert embed.title.endswith(limits.ELLIPSIS)
    assert len(embed.fields[0].name or "") == limits.FIELD_NAME
    value = embed.fields[0].value or ""
    assert len(value) <= limits.FIELD_VALUE and value.endswith(MARKER)


def test_a_button_whose_custom_id_would_be_too_long_is_left_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    message = Message(
        (
            Section(text("Choose")),
            Actions(
                (Button("Fine", "join.approve", "7"), Button("Too long", "join.approve", "x" * 100))
            ),
        )
    )
    (part,) = render(message, "en")
    with caplog.at_level(logging.ERROR):
        view = part.view()
    assert view is not None
    assert [getattr(c, "custom_id", None) for c in view.children] == ["cb:join.approve:7"]
    assert "cannot be a Discord custom_id" in caplog.text


def test_each_action_block_gets_its_own_message_with_its_buttons() -> None:
    cards: list[Block] = []
    for n in (1, 2, 3):
        cards += [
            Heading(f"Request {n}"),
            Section(text(f"Person {n}")),
            Actions((Button("Approve", "join.approve", str(n)),)),
        ]
    parts = render(Message((Section(text("Waiting:")), *cards)), "en")
    assert len(parts) == 3
    assert [[b.target for b in p.buttons] for p in parts] == [["1"], ["2"], ["3"]]
    assert parts[0].embeds[0].description == "Waiting:"
    assert parts[0].embeds[1].title == "Request 1"


def test_times_show_in_each_readers_zone_and_short_answers_are_plain_text() -> None:
    at = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    moment = Moment(at, "Mar 2, 2026, 9:00 AM (America/Chicago)")
    (part,) = render(
        Message((Section(text("Meeting ", moment)), Context(text("small print")))), "en"
    )
    stamp = int(at.timestamp())
    assert part.content == f"Meeting <t:{stamp}:F> (<t:{stamp}:R>)\n-# small print"
    assert part.embeds == []


def test_only_mentioned_members_may_be_pinged() -> None:
    maria = Mention(
        "Maria", (Identity("slack", "T1", "U1"), Identity("discord", "9", "123456789012345678"))
    )
    slack_only = Mention("Sam", (Identity("slack", "T1", "U2"),))
    (part,) = render(
        Message((Section(text("Hello ", maria, " and ", slack_only, Strong(" @everyone"))),)), "en"
    )
    assert part.content == "Hello <@123456789012345678> and @Sam **@\u200beveryone**"
    sent: dict[str, object] = dict(part.allowed_mentions().to_dict())
    assert sent == {"parse": [], "users": [123456789012345678]}
    (card,) = render(Message((Heading("Card"), Section(text("For ", maria)))), "en")
    # Mentions in embeds notify nobody: the member is named in the content as well.
    assert card.content == "<@123456789012345678>"
