"""Forms as modals: steps of five, clear validation errors, and expiry said out loud."""

from __future__ import annotations

import discord

from adapters.discord.form_sessions import paginate
from adapters.discord.forms import FormButton
from bot.messages import FormField
from tests.adapters.discord.conftest import Bot, buttons_of, text_of
from tests.adapters.discord.test_membership import button, join_with_options
from tests.fakes.discord_payloads import (
    CHANNEL_MESSAGE,
    FLAG_EPHEMERAL,
    MODAL,
    UPDATE_MESSAGE,
    modal_inputs,
)

PAGE_ONE: dict[str, str | list[str]] = {
    "name": "Carol Diaz",
    "organization": "Denver Public Health",
    "discipline": ["Nursing"],
    "region": ["Southwest"],
    "jurisdiction": "",
}


async def test_a_wrong_answer_is_explained_and_can_be_changed(bot: Bot) -> None:
    opened = await bot.command("join", user="carol")
    assert opened.data is not None
    step = await bot.submit(opened.data, PAGE_ONE, user="carol")
    assert step.message is not None
    second = await bot.click(button(step.data, ":open:")["custom_id"], step.message, user="carol")
    assert second.data is not None
    wrong = await bot.submit(
        second.data,
        {"interests": [], "timezone": "Mars/Olympus_Mons", "language": ["en"]},
        user="carol",
        message=step.message,
    )
    # What was wrong, what to type, privately; the prompt is replaced, not piled up.
    assert wrong.type == UPDATE_MESSAGE
    said = text_of(wrong.data)
    assert "**Mars/Olympus\\_Mons** is not a time zone I know" in said
    assert bot.fake.messages[int(step.message["id"])]["flags"] & FLAG_EPHEMERAL
    (change,) = buttons_of(wrong.data)
    assert change["label"] == "Change my answers"

    again = await bot.click(change["custom_id"], step.message, user="carol")
    assert again.type == MODAL and again.data is not None
    kept = modal_inputs(again.data)
    assert kept["timezone"]["value"] == "Mars/Olympus_Mons"  # what was typed, to correct
    done = await bot.submit(
        again.data,
        {"interests": [], "timezone": "America/Denver", "language": ["en"]},
        user="carol",
        message=step.message,
    )
    assert "Welcome to Our Coalition" in text_of(done.data)
    profile = await bot.command("profile view", user="carol")
    assert "America/Denver" in text_of(profile.data)


async def test_the_edit_form_is_filled_with_the_profile(bot: Bot) -> None:
    await join_with_options(bot, "alice", "Alice Admin", interests="Housing, Workforce")
    opened = await bot.command("profile edit")
    assert opened.data is not None
    inputs = modal_inputs(opened.data)
    assert inputs["name"]["value"] == "Alice Admin"
    assert [o["value"] for o in inputs["region"]["options"] if o.get("default")] == ["West"]
    step = await bot.submit(
        opened.data,
        {
            "name": "Alice A. Admin",
            "organization": "Alice Admin Health Department",
            "jurisdiction": "",
            "discipline": ["Epidemiology"],
            "region": ["Midwest"],
        },
    )
    assert step.message is not None
    second = await bot.click(button(step.data, ":open:")["custom_id"], step.message, user="alice")
    assert second.data is not None
    interests = modal_inputs(second.data)["interests"]
    assert [o["value"] for o in interests["options"] if o.get("default")] == [
        "Housing",
        "Workforce",
    ]
    finished = await bot.click(
        button(step.data, ":finish:")["custom_id"], step.message, user="alice"
    )
    assert "Your profile is updated" in text_of(finished.data)
    assert "Alice A. Admin" in text_of(finished.data) and "Midwest" in text_of(finished.data)


async def test_a_form_button_after_a_restart_says_the_form_expired(bot: Bot) -> None:
    channel = bot.client.get_channel(bot.fake.channel("general").id)
    assert isinstance(channel, discord.TextChannel)
    view = discord.ui.View(timeout=None)
    view.add_item(FormButton("0123456789abcdef", "finish", 1, label="Finish now"))
    view.stop()
    old = await channel.send("Step 1 of 2 is saved.", view=view)
    answered = await bot.click("cbf:0123456789abcdef:finish:1", old.id, user="alice")
    assert answered.type == CHANNEL_MESSAGE and answered.data is not None
    assert answered.data["flags"] & FLAG_EPHEMERAL
    assert "This form has expired" in answered.data["content"]


async def test_a_modal_opened_before_a_restart_says_the_form_expired(bot: Bot) -> None:
    submit = bot.fake.modal_submit("cbm:0123456789abcdef:0", {"name": "Carol"}, user="carol")
    answered = await bot.fake.interact(submit)
    assert answered.type == CHANNEL_MESSAGE and answered.data is not None
    assert "This form has expired" in answered.data["content"]


async def test_only_the_person_filling_a_form_can_continue_it(bot: Bot) -> None:
    opened = await bot.command("join", user="carol")
    assert opened.data is not None
    step = await bot.submit(opened.data, PAGE_ONE, user="carol")
    assert step.message is not None
    other = await bot.click(button(step.data, ":finish:")["custom_id"], step.message, user="bob")
    assert "This form has expired" in text_of(other.data)
    mine = await bot.click(button(step.data, ":finish:")["custom_id"], step.message, user="carol")
    assert "Welcome" in text_of(mine.data)


def test_steps_hold_five_fields_required_first() -> None:
    fields = tuple(FormField(f"f{n}", f"F{n}", "", "text", required=n in (2, 6)) for n in range(8))
    pages = paginate(fields)
    assert [[f.name for f in page] for page in pages] == [
        ["f2", "f6", "f0", "f1", "f3"],
        ["f4", "f5", "f7"],
    ]


async def test_some_required_options_open_the_form_filled_with_them(bot: Bot) -> None:
    opened = await bot.command("join", {"region": "West", "name": "Carol Diaz"}, user="carol")
    assert opened.type == MODAL and opened.data is not None
    inputs = modal_inputs(opened.data)
    assert inputs["name"]["value"] == "Carol Diaz"
    assert [o["value"] for o in inputs["region"]["options"] if o.get("default")] == ["West"]
    assert not inputs["organization"].get("value")  # the missing ones are asked
