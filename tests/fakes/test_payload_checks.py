"""The fakes' payload checks can fail: each invalid payload here is reported, and the
valid ones beside them are not (so the checks neither miss nor invent problems)."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from .discord import FakeDiscord
from .discord_payloads import message_problems, modal_problems
from .discord_shapes import body_shape_problems
from .slack import FakeSlack, blocks_refusal, view_refusal
from .slack_blockkit import ack_problems
from .slack_payloads import interactive_body, slash_command, slash_command_body, view_submission

JSON = dict[str, Any]


def plain(text: str) -> JSON:
    return {"type": "plain_text", "text": text}


def section(text: str = "Hello") -> JSON:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(**fields: Any) -> JSON:
    return {"type": "button", "text": plain("Approve"), "action_id": "a", "value": "1", **fields}


def input_block(element: JSON, **fields: Any) -> JSON:
    return {"type": "input", "block_id": "b", "label": plain("Name"), "element": element, **fields}


def modal(*blocks: JSON, **fields: Any) -> JSON:
    return {
        "type": "modal",
        "title": plain("Join"),
        "submit": plain("Join"),
        "blocks": list(blocks),
        **fields,
    }


# -- Slack ------------------------------------------------------------------------------

GOOD_BLOCKS: list[JSON] = [
    {"type": "header", "text": {**plain("Title"), "emoji": True}},
    section("*bold* <https://example.org|a link>"),
    {"type": "section", "fields": [{"type": "mrkdwn", "text": "*Label*\nvalue"}]},
    {"type": "context", "elements": [{"type": "mrkdwn", "text": "small"}]},
    {"type": "actions", "elements": [button(style="primary"), button(action_id="b")]},
]

BAD_BLOCKS: list[tuple[str, list[JSON], str]] = [
    ("unknown block type", [{"type": "sectoin", "text": plain("x")}], "not a Block Kit type"),
    ("unknown field", [{**section(), "colour": "red"}], "/blocks/0/colour"),
    ("empty text", [section("")], "more than 0 characters"),
    (
        "header in mrkdwn",
        [{"type": "header", "text": {"type": "mrkdwn", "text": "x"}}],
        "plain_text",
    ),
    ("header too long", [{"type": "header", "text": plain("x" * 151)}], "/blocks/0/text/text"),
    ("button style", [{"type": "actions", "elements": [button(style="green")]}], "style"),
    (
        "button in mrkdwn",
        [{"type": "actions", "elements": [button(text={"type": "mrkdwn", "text": "x"})]}],
        "plain_text",
    ),
    ("text not an object", [{"type": "section", "text": "Hello"}], "/blocks/0"),
    (
        "wrong value type",
        [{"type": "actions", "elements": [button(value=5)]}],
        "/blocks/0",
    ),
    (
        "eleven fields",
        [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
        "between 1 and 10",
    ),
    ("duplicate action ids", [{"type": "actions", "elements": [button(), button()]}], "unique"),
    ("51 blocks", [section()] * 51, "no more than 50"),
]


def test_valid_blocks_pass_both_checks() -> None:
    assert blocks_refusal(GOOD_BLOCKS, 50) == []


@pytest.mark.parametrize(
    ("blocks", "expected"), [c[1:] for c in BAD_BLOCKS], ids=[c[0] for c in BAD_BLOCKS]
)
def test_invalid_blocks_are_refused_with_where(blocks: list[JSON], expected: str) -> None:
    problems = blocks_refusal(blocks, 50)
    assert problems and expected in " ".join(problems), problems


GOOD_ELEMENTS: list[JSON] = [
    {"type": "plain_text_input", "action_id": "value", "multiline": True, "max_length": 200},
    {
        "type": "static_select",
        "action_id": "value",
        "options": [{"text": plain("A"), "value": "a"}],
    },
    {"type": "external_select", "action_id": "tz", "min_query_length": 0},
    {"type": "number_input", "action_id": "value", "is_decimal_allowed": False},
    {"type": "datepicker", "action_id": "value", "initial_date": "2026-03-12"},
    {"type": "timepicker", "action_id": "value", "initial_time": "09:30"},
    {"type": "users_select", "action_id": "value", "initial_user": "U1"},
    {"type": "url_text_input", "action_id": "value"},
    {
        "type": "checkboxes",
        "action_id": "value",
        "options": [{"text": plain("Yes"), "value": "yes"}],
    },
]

BAD_VIEWS: list[tuple[str, JSON, str]] = [
    ("title too long", modal(input_block(GOOD_ELEMENTS[0]), title=plain("x" * 25)), "/view/title"),
    ("unknown view field", modal(input_block(GOOD_ELEMENTS[0]), colour="red"), "/view/colour"),
    (
        "unknown element",
        modal(input_block({"type": "rich_text_box", "action_id": "v"})),
        "/blocks/0/element",
    ),
    (
        "a malformed date",
        modal(input_block({**GOOD_ELEMENTS[4], "initial_date": "12/03/2026"})),
        "initial_date",
    ),
    (
        "label in mrkdwn",
        modal(input_block(GOOD_ELEMENTS[0], label={"type": "mrkdwn", "text": "x"})),
        "plain_text",
    ),
    (
        "a select without options",
        modal(input_block({"type": "static_select", "action_id": "v"})),
        "options",
    ),
    (
        "a menu option in mrkdwn",
        modal(
            input_block(
                {
                    **GOOD_ELEMENTS[1],
                    "options": [{"text": {"type": "mrkdwn", "text": "A"}, "value": "a"}],
                }
            )
        ),
        "plain_text",
    ),
]


def test_a_modal_of_every_element_we_use_passes() -> None:
    blocks = [{**input_block(e), "block_id": f"b{n}"} for n, e in enumerate(GOOD_ELEMENTS)]
    assert view_refusal(modal(*blocks)) == []


@pytest.mark.parametrize(
    ("view", "expected"), [c[1:] for c in BAD_VIEWS], ids=[c[0] for c in BAD_VIEWS]
)
def test_invalid_views_are_refused(view: JSON, expected: str) -> None:
    problems = view_refusal(view)
    assert problems and expected in " ".join(problems), problems


def test_invalid_acks_are_reported() -> None:
    submitted = {"type": "view_submission", "view": {"blocks": [{"block_id": "name"}]}}
    assert (
        ack_problems(
            "interactive", submitted, {"response_action": "errors", "errors": {"name": "Too long"}}
        )
        == []
    )
    assert ack_problems(
        "interactive", submitted, {"response_action": "errors", "errors": {"nmae": "x"}}
    )
    assert ack_problems(
        "interactive", submitted, {"response_action": "update", "view": modal(colour="red")}
    )
    assert ack_problems("interactive", submitted, {"response_action": "close"})
    assert ack_problems("slash_commands", {}, {"response_action": "clear"})
    options = [{"text": plain(f"Zone {n}"), "value": f"z{n}"} for n in range(101)]
    assert (
        ack_problems("interactive", {"type": "block_suggestion"}, {"options": options[:100]}) == []
    )
    assert ack_problems("interactive", {"type": "block_suggestion"}, {"options": options})
    mrkdwn_option = {"text": {"type": "mrkdwn", "text": "A"}, "value": "a"}
    assert ack_problems("interactive", {"type": "block_suggestion"}, {"options": [mrkdwn_option]})


async def test_the_fake_slack_refuses_and_records_invalid_blocks() -> None:
    async with FakeSlack() as fake:
        client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
        await client.chat_postMessage(channel="C1", text="fine", blocks=GOOD_BLOCKS)
        fake.assert_payloads_valid()
        with pytest.raises(SlackApiError) as refused:
            await client.chat_postMessage(
                channel="C1", text="x", blocks=[{**section(), "colour": "red"}]
            )
        assert refused.value.response["error"] == "invalid_blocks"
        hook = fake.make_response_url(channel_id="C1", user_id="U1")
        async with aiohttp.ClientSession() as session:
            await session.post(hook, json={"text": "x", "blocks": [{"type": "sectoin"}]})
        assert [p.split(":")[0] for p in fake.invalid_payloads] == [
            "chat.postMessage",
            "response_url",
        ]
        with pytest.raises(AssertionError, match="Slack would refuse"):
            fake.assert_payloads_valid()


# -- Discord ----------------------------------------------------------------------------

ROW: JSON = {
    "type": 1,
    "components": [{"type": 2, "style": 1, "label": "Approve", "custom_id": "a:1"}],
}
GOOD_MESSAGE: JSON = {
    "content": None,
    "embeds": [
        {
            "type": "rich",
            "title": "T",
            "description": "D",
            "color": 3108767,
            "fields": [{"name": "N", "value": "V", "inline": True}],
        }
    ],
    "components": [ROW],
    "allowed_mentions": {"parse": [], "users": ["1"], "replied_user": False},
    "tts": False,
    "nonce": "12345",
    "enforce_nonce": True,
}


def button_row(**fields: Any) -> JSON:
    return {
        "type": 1,
        "components": [{"type": 2, "style": 1, "label": "Go", "custom_id": "g", **fields}],
    }


BAD_MESSAGES: list[tuple[str, JSON, str]] = [
    ("blank content alone", {"content": "  \n ", "embeds": []}, "an empty message"),
    (
        "unknown embed field",
        {"embeds": [{"title": "T", "colour": 1}]},
        "embeds[0].colour: not a field",
    ),
    ("title of the wrong type", {"embeds": [{"title": 5}]}, "embeds[0].title: 5 is not a str"),
    ("button style", {"components": [button_row(style=9)]}, "style: 9"),
    ("unknown component", {"components": [{"type": 1, "components": [{"type": 42}]}]}, "type 42"),
    (
        "six buttons",
        {
            "components": [
                {
                    "type": 1,
                    "components": [ROW["components"][0] | {"custom_id": f"{n}"} for n in range(6)],
                }
            ]
        },
        "1..5 buttons",
    ),
    ("same custom_id twice", {"components": [ROW, ROW]}, "used twice"),
    (
        "a button without custom_id",
        {"components": [{"type": 1, "components": [{"type": 2, "style": 1, "label": "x"}]}]},
        "custom_id has 0",
    ),
    (
        "a link button with a custom_id",
        {"components": [button_row(style=5, url="https://x.org")]},
        "link button has no custom_id",
    ),
    ("custom_id too long", {"components": [button_row(custom_id="c" * 101)]}, "custom_id has 101"),
    (
        "six rows",
        {"components": [button_row(custom_id=str(n)) for n in range(6)]},
        "6 component rows",
    ),
    (
        "embeds over 6000",
        {"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]},
        "6001 characters in all",
    ),
    ("a blank field", {"embeds": [{"fields": [{"name": " ", "value": "v"}]}]}, "only whitespace"),
    ("26 fields", {"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]}, "26 fields"),
    ("nonce too long", {"content": "x", "nonce": "n" * 26}, "nonce has 26"),
    (
        "parse and users",
        {"content": "x", "allowed_mentions": {"parse": ["users"], "users": ["1"]}},
        "parse 'users'",
    ),
    ("colour out of range", {"embeds": [{"title": "t", "color": 0x1000000}]}, "color"),
    ("an unknown body field", {"content": "x", "embed": {"title": "t"}}, "body.embed: not a field"),
]


def discord_message_problems(body: JSON) -> list[str]:
    return message_problems(body) + body_shape_problems("POST", "/channels/1/messages", body)


def test_a_valid_discord_message_passes() -> None:
    assert discord_message_problems(GOOD_MESSAGE) == []


@pytest.mark.parametrize(
    ("body", "expected"), [c[1:] for c in BAD_MESSAGES], ids=[c[0] for c in BAD_MESSAGES]
)
def test_invalid_discord_messages_are_refused(body: JSON, expected: str) -> None:
    problems = discord_message_problems(body)
    assert problems and expected in " ".join(problems), problems


def label(component: JSON, text: str = "Name") -> JSON:
    return {"type": 18, "label": text, "component": component}


TEXT_INPUT: JSON = {
    "type": 4,
    "custom_id": "name",
    "style": 1,
    "label": None,
    "required": True,
    "max_length": 200,
}
SELECT: JSON = {
    "type": 3,
    "custom_id": "region",
    "options": [
        {"label": "West", "value": "West", "default": False},
        {"label": "East", "value": "East", "default": False},
    ],
    "min_values": 1,
    "max_values": 1,
    "disabled": False,
    "required": True,
}
BAD_MODALS: list[tuple[str, list[JSON], str]] = [
    ("label too long", [label(TEXT_INPUT, "x" * 46)], "label 0 has 46"),
    (
        "placeholder too long",
        [label({**TEXT_INPUT, "placeholder": "p" * 101})],
        "placeholder has 101",
    ),
    ("max_length 0", [label({**TEXT_INPUT, "max_length": 0, "min_length": 1})], "max_length 0"),
    ("text style", [label({**TEXT_INPUT, "style": 3})], "style: 3"),
    (
        "a required select that takes none",
        [label({**SELECT, "min_values": 0})],
        "min_values 0 on a required select",
    ),
    ("a disabled select", [label({**SELECT, "disabled": True})], "disabled"),
    (
        "two defaults on a single select",
        [label({**SELECT, "options": [{**o, "default": True} for o in SELECT["options"]]})],
        "2 defaults",
    ),
    ("same custom_id twice", [label(TEXT_INPUT), label(TEXT_INPUT)], "used twice"),
    ("six inputs", [label({**TEXT_INPUT, "custom_id": str(n)}) for n in range(6)], "6 components"),
    ("unknown component", [{"type": 99}], "type 99"),
]


def discord_modal_problems(components: list[JSON]) -> list[str]:
    data = {"custom_id": "form:abc:0", "title": "Join the coalition", "components": components}
    return modal_problems(data) + body_shape_problems(
        "POST", "/interactions/1/t/callback", {"type": 9, "data": data}
    )


def test_a_valid_discord_modal_passes() -> None:
    assert discord_modal_problems([label(TEXT_INPUT), label(SELECT, "Region")]) == []


@pytest.mark.parametrize(
    ("components", "expected"), [c[1:] for c in BAD_MODALS], ids=[c[0] for c in BAD_MODALS]
)
def test_invalid_discord_modals_are_refused(components: list[JSON], expected: str) -> None:
    problems = discord_modal_problems(components)
    assert problems and expected in " ".join(problems), problems


async def test_the_fake_discord_refuses_and_records_an_invalid_embed() -> None:
    async with FakeDiscord() as fake:
        channel = fake.channel("general").id
        url = f"{fake.api_base}/channels/{channel}/messages"
        headers = {"Authorization": f"Bot {fake.token}"}
        async with aiohttp.ClientSession(headers=headers) as session:
            async with session.post(
                url, json={"embeds": [{"title": "t" * 257, "colour": 1}]}
            ) as answer:
                assert answer.status == 400
                assert (await answer.json())["code"] == 50035
            async with session.post(url, json={"content": "Fine"}) as answer:
                assert answer.status == 200
    ((request, problems),) = fake.rejected
    assert request == f"POST /channels/{channel}/messages"
    assert problems == [
        "embeds[0].title has 257 characters (allowed 0..256)",
        "body.embeds[0].colour: not a field of Embed",
    ]


def test_an_http_mode_ack_is_checked_as_a_socket_mode_one() -> None:
    fake = FakeSlack()
    command = slash_command_body(slash_command(text="help"))
    fake.check_http_ack(command, json.dumps({"text": "Help", "blocks": GOOD_BLOCKS}))
    fake.check_http_ack(command, "")
    fake.assert_payloads_valid()
    fake.check_http_ack(command, json.dumps({"text": "Help", "blocks": [{"type": "sectoin"}]}))
    submission = interactive_body(view_submission("form", blocks=[{"block_id": "name"}]))
    fake.check_http_ack(
        submission, json.dumps({"response_action": "errors", "errors": {"nmae": "x"}})
    )
    assert [p.split(":")[0] for p in fake.invalid_payloads] == [
        "HTTP ack of slash_commands",
        "HTTP ack of interactive",
    ]
