"""Slash commands and modals in Socket Mode: the real Bolt app against the fake Slack."""

from __future__ import annotations

import json
from typing import Any

from bot.registry import build_catalogue
from bot.roles import Role
from tests.adapters.slack.harness import SlackScene, texts

SLACK_ACK_WINDOW = 3.0  # seconds Slack waits for an acknowledgement


async def test_help_is_acked_in_time_and_answered_privately_from_the_catalogue(
    slack: SlackScene,
) -> None:
    sent = await slack.command("help")
    assert sent.ack_seconds < SLACK_ACK_WINDOW

    answer = await slack.answer(sent)
    assert answer.method == "ack"  # ready at once, so the ack itself carries it
    assert not slack.fake.calls_to("response_url")
    assert answer.params["response_type"] == "ephemeral"
    blocks = answer.params["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "What I can do in Our Coalition", "emoji": True},
    }
    fields = [f["text"] for b in blocks if b["type"] == "section" for f in b.get("fields", [])]
    # A guest sees exactly the commands the catalogue lets guests use, with their help.
    guest_commands = build_catalogue().visible_to(Role.GUEST)
    assert len(fields) == len(guest_commands)
    for command, field in zip(guest_commands, fields, strict=True):
        assert field == f"*/coalition {command.name}*\n{command.help}"
    assert "What I can do in Our Coalition" in answer.params["text"]  # the fallback


async def test_join_without_options_opens_a_modal_with_selects_and_a_time_zone(
    slack: SlackScene,
) -> None:
    sent = await slack.command("join")
    view = await slack.opened_view(sent)
    assert view["callback_id"] == "coalition_form"
    assert view["title"]["text"] == "Join the coalition"
    inputs = {b["block_id"]: b for b in view["blocks"]}
    assert inputs["name"]["element"]["initial_value"] == "Maria Lopez"  # from users.info
    assert not inputs["name"]["optional"] and inputs["jurisdiction"]["optional"]

    discipline = inputs["discipline"]["element"]
    assert discipline["type"] == "static_select"
    assert "Epidemiology" in [o["value"] for o in discipline["options"]]
    assert inputs["region"]["element"]["type"] == "static_select"
    assert inputs["interests"]["element"]["type"] == "multi_static_select"
    # "Data & Informatics" is shown escaped, but chosen by its real name.
    data = next(o for o in discipline["options"] if o["value"] == "Data & Informatics")
    assert data["text"]["text"] == "Data &amp; Informatics"

    timezone = inputs["timezone"]["element"]
    assert timezone["type"] == "external_select"
    assert timezone["initial_option"]["value"] == "America/Los_Angeles"  # the person's Slack zone
    language = inputs["language"]["element"]
    assert [o["value"] for o in language["options"]] == ["en", "es"]

    # Typing in the time-zone menu asks the bot for matching zones.
    suggestion = await slack.send("interactive", _suggestion(view, "chicago"))
    options = [o["value"] for o in suggestion.ack["options"]]
    assert options[0] == "America/Chicago"
    assert all("chicago" in o.lower() for o in options)
    opened = await slack.send("interactive", _suggestion(view, ""))
    # Nothing typed: the coalition's zone, then the US zones (bot/timezones.py).
    assert [o["value"] for o in opened.ack["options"]][:3] == [
        "America/Chicago",
        "America/New_York",
        "America/Denver",
    ]
    assert len(opened.ack["options"]) == 100  # Slack's most


async def test_a_bad_value_is_shown_next_to_its_field_and_a_good_form_joins(
    slack: SlackScene,
) -> None:
    sent = await slack.command("join")
    view = await slack.opened_view(sent)
    answers: dict[str, Any] = {
        "name": "M" * 81,
        "organization": "Alameda County Public Health",
        "discipline": "Epidemiology",
        "region": "West",
        "interests": ["Housing", "Health Equity"],
    }
    refused = await slack.submit(view, answers)
    assert refused.ack["response_action"] == "errors"
    assert list(refused.ack["errors"]) == ["name"]
    assert "at most 80 characters; yours has 81" in refused.ack["errors"]["name"]
    assert await slack.member("U1") is None

    accepted = await slack.submit(view, {**answers, "name": "Maria Lopez"})
    assert accepted.ack == {}  # the modal closes
    welcome = await slack.answer(sent)  # through the command's response_url, privately
    assert welcome.params["response_type"] == "ephemeral"
    assert "Welcome to Our Coalition!" in welcome.params["text"]
    member = await slack.member("U1")
    assert member is not None
    assert member.profile.interests == ("Housing", "Health Equity")
    assert member.profile.timezone == "America/Los_Angeles"


async def test_a_spanish_slack_user_gets_spanish_help(slack: SlackScene) -> None:
    sent = await slack.command("help", user="UANA")
    answer = await slack.answer(sent)
    # Ana's Slack locale is es-ES and she has not joined: the hint picks the language.
    assert answer.params["blocks"][0]["text"]["text"] == "Lo que puedo hacer en Our Coalition"


async def test_commands_typed_with_slack_escaping_reach_the_core_as_typed(
    slack: SlackScene,
) -> None:
    # Slack sends "&" as "&amp;" and a picked member as <@USAM|sam>.
    await slack.command(
        'join name="Sam Okafor" organization="Okafor Health" discipline=Nursing region=Midwest',
        user="USAM",
    )
    await slack.settled()
    sent = await slack.command(
        'join name="Maria &amp; Co" organization="A &lt;b&gt; C" discipline=Epidemiology region=West'
    )
    assert "Welcome" in (await slack.answer(sent)).params["text"]
    member = await slack.member("U1")
    assert member is not None
    assert (member.name, member.profile.organization) == ("Maria & Co", "A <b> C")

    viewed = await slack.command("profile view <@USAM|sam>")
    profile = await slack.answer(viewed)
    assert "Sam Okafor" in profile.params["text"]


async def test_every_text_in_a_modal_stays_within_slack_limits(slack: SlackScene) -> None:
    await slack.command('join name="Maria Lopez" organization=Org discipline=Nursing region=West')
    await slack.settled()
    sent = await slack.command("profile edit")
    view = await slack.opened_view(sent)  # the fake rejects any over-limit view
    inputs = {b["block_id"]: b for b in view["blocks"]}
    assert inputs["listed"]["element"]["type"] == "checkboxes"
    assert inputs["listed"]["element"]["initial_options"][0]["value"] == "yes"
    assert inputs["discipline"]["element"]["initial_option"]["value"] == "Nursing"
    hidden = await slack.submit(view, {"listed": []})
    assert hidden.ack == {}
    await slack.answer(sent)
    member = await slack.member("U1")
    assert member is not None and not member.profile.listed
    assert all(len(t) <= 3000 for t in texts(view))


def _suggestion(view: dict[str, Any], typed: str) -> dict[str, Any]:
    """A block_suggestion payload: the person typed into the time-zone menu."""
    return {
        "type": "block_suggestion",
        "user": {"id": "U1", "username": "maria", "team_id": "T1"},
        "team": {"id": "T1", "domain": "coalition"},
        "api_app_id": "A1",
        "token": "verification-token",
        "action_id": "coalition_timezone",
        "block_id": "timezone",
        "value": typed,
        "view": view,
        "container": {"type": "view", "view_id": view["id"]},
    }


async def test_buttons_on_a_private_answer_replace_it_through_the_response_url(
    slack: SlackScene,
) -> None:
    fake = slack.fake
    await slack.command('join name="Maria Lopez" organization=Org discipline=Nursing region=West')
    await slack.settled()
    asked = await slack.answer(await slack.command("leave"))
    (question,) = [e for e in fake.ephemerals_for("U1") if e.get("ts") and "Delete" in e["text"]]
    confirm = next(
        e for b in question["blocks"] for e in b.get("elements", []) if e.get("style") == "danger"
    )
    assert asked.params["response_type"] == "ephemeral"

    payload = fake.block_actions(
        confirm["action_id"],
        confirm["value"],
        message_ts=question["ts"],
        is_ephemeral=True,
    )
    clicked = await slack.send("interactive", payload)
    assert clicked.ack == {}
    replaced = await slack.answer(clicked)
    assert replaced.params["replace_original"] is True
    assert "deleted" in question["text"]  # the question itself now says what happened
    assert not [b for b in question["blocks"] if b["type"] == "actions"]
    assert await slack.member("U1") is None


async def test_export_sends_the_file_to_the_persons_direct_messages(slack: SlackScene) -> None:
    fake = slack.fake
    await slack.command('join name="Maria Lopez" organization=Org discipline=Nursing region=West')
    await slack.settled()
    await slack.answer(await slack.command("export"))
    await slack.settled()
    (upload,) = fake.files.values()
    assert upload.completed and upload.channel_id is not None
    assert upload.channel_id.startswith("D")  # never shared in the channel
    data = json.loads(upload.content or b"")
    assert data["accounts"] == [{"platform": "slack", "workspace": "T1", "user_id": "U1"}]


async def test_a_command_in_a_direct_message_is_answered_there(slack: SlackScene) -> None:
    sent = await slack.command("help", channel="D0001")
    answer = await slack.answer(sent)
    assert answer.params["response_type"] == "ephemeral"
    assert slack.fake.ephemerals_for("U1")[-1]["channel"] == "D0001"
