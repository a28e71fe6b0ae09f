"""Every kind of form field as a Slack input, and its submitted value back."""

from __future__ import annotations

from typing import Any

from adapters.slack.forms import FormOrigin, form_view, submitted_values
from adapters.slack.replies import Origin
from bot.identity import Identity
from bot.messages import Form, FormField
from tests.adapters.slack.harness import WAIT, SlackScene, texts

FIELDS = (
    FormField("title", "Title", "What it is about", "text", required=True, value="Office hours"),
    FormField("notes", "Notes", "", "long_text"),
    FormField("day", "Date", "", "date", value="2026-03-12"),
    FormField("at", "Time", "", "time", value="9:30"),
    FormField("link", "Link", "", "url", value="https://example.org"),
    FormField("minutes", "Length", "", "integer", value="60"),
    FormField("host", "Host", "", "member", value="U1"),
    FormField("public", "Public", "", "boolean", value="no"),
    FormField("zone", "Time zone", "", "timezone", value="America/Denver"),
    FormField("tags", "Tags", "", "choices", choices=tuple(f"t{n}" for n in range(150))),
)
EXPECTED = {
    "title": "plain_text_input",
    "notes": "plain_text_input",
    "day": "datepicker",
    "at": "timepicker",
    "link": "url_text_input",
    "minutes": "number_input",
    "host": "users_select",
    "public": "checkboxes",
    "zone": "external_select",
    "tags": "multi_static_select",
}


async def test_each_kind_gets_its_slack_input_and_slack_accepts_the_view(
    slack: SlackScene,
) -> None:
    form = Form(("meeting", "schedule"), "Schedule a session", FIELDS)
    await slack.bot.replier.open_form(form, Origin("T1", "U1", "C1", trigger_id="1.2.x"))
    call = await slack.fake.wait_for_call("views.open", timeout=WAIT)
    assert call.ok, call.response  # within every limit the fake checks
    elements = {b["block_id"]: b["element"] for b in call.params["view"]["blocks"]}
    assert {name: e["type"] for name, e in elements.items()} == EXPECTED
    assert elements["day"]["initial_date"] == "2026-03-12"
    assert elements["at"]["initial_time"] == "09:30"
    assert elements["host"]["initial_user"] == "U1"
    assert "initial_options" not in elements["public"]
    # 150 choices: more than a menu's 100, so in groups that still filter as one types.
    assert [len(g["options"]) for g in elements["tags"]["option_groups"]] == [100, 50]


def test_submitted_state_becomes_option_values() -> None:
    state: dict[str, Any] = {
        "title": {"value": {"type": "plain_text_input", "value": "Office hours"}},
        "notes": {"value": {"type": "plain_text_input", "value": None}},
        "day": {"value": {"type": "datepicker", "selected_date": "2026-03-12"}},
        "at": {"value": {"type": "timepicker", "selected_time": "09:30"}},
        "link": {"value": {"type": "url_text_input", "value": "https://example.org"}},
        "minutes": {"value": {"type": "number_input", "value": "45"}},
        "host": {"value": {"type": "users_select", "selected_user": "U7"}},
        "public": {"value": {"type": "checkboxes", "selected_options": []}},
        "zone": {
            "coalition_timezone": {
                "type": "external_select",
                "selected_option": {"value": "America/Denver"},
            }
        },
        "tags": {"value": {"type": "multi_static_select", "selected_options": [{"value": "t1"}]}},
    }
    assert submitted_values(state, "T1") == {
        "title": "Office hours",
        "notes": "",  # left empty: the core treats it as not given
        "day": "2026-03-12",
        "at": "09:30",
        "link": "https://example.org",
        "minutes": "45",
        "host": Identity("slack", "T1", "U7"),
        "public": "no",
        "zone": "America/Denver",
        "tags": ["t1"],
    }


def test_what_a_form_is_for_survives_the_round_trip_through_slack() -> None:
    origin = FormOrigin(("profile", "edit"), "C1", "1700.1", False, "https://hooks/x")
    view = form_view(Form(("profile", "edit"), "Edit your profile", FIELDS[:1]), origin)
    assert FormOrigin.decode(view["private_metadata"]) == origin
    assert FormOrigin.decode("not json") is None


async def test_some_required_options_open_the_modal_filled_with_them(slack: SlackScene) -> None:
    sent = await slack.command('join name="Maria Lopez" region=West')
    view = await slack.opened_view(sent)
    elements = {b["block_id"]: b["element"] for b in view["blocks"] if "element" in b}
    assert elements["name"]["initial_value"] == "Maria Lopez"
    assert elements["region"]["initial_option"]["value"] == "West"
    assert "initial_value" not in elements["organization"]
    assert await slack.member("U1") is None  # nothing saved until the form is sent


async def test_a_form_that_cannot_open_says_what_to_type_instead(slack: SlackScene) -> None:
    slack.fake.fail_next("views.open", "expired_trigger_id")  # as after Slack's 3 seconds
    sent = await slack.command("join region=West")
    answer = await slack.answer(sent)
    said = " ".join(texts(answer.params))
    assert "The form took too long to open" in said
    assert "/coalition join name=" in said and "region=West" in said
    assert answer.params.get("response_type") == "ephemeral"  # only for the person
