"""The membership scenario of the foundation issue, done in Discord end to end."""

from __future__ import annotations

import json

from bot.config import CoalitionSettings, Config
from storage import Storage
from tests.adapters.discord.conftest import WAIT, Bot, buttons_of, running_bot, text_of
from tests.fakes.discord import FakeDiscord, InteractionResponse
from tests.fakes.discord_payloads import (
    CHANNEL_MESSAGE,
    FLAG_EPHEMERAL,
    JSON,
    MODAL,
    UPDATE_MESSAGE,
    modal_inputs,
)


def approval_config(fake: FakeDiscord) -> Config:
    """Approval mode, with alice an admin (so a coordinator) from the configuration."""
    return Config(
        coalition=CoalitionSettings(approval_required=True),
        admins=(f"discord:{fake.member('alice').id}",),
    )


def is_private(response: InteractionResponse) -> bool:
    return bool((response.data or {}).get("flags", 0) & FLAG_EPHEMERAL)


def button(payload: JSON | None, word: str) -> JSON:
    return next(b for b in buttons_of(payload) if word in b["custom_id"])


async def join_with_options(bot: Bot, user: str, name: str, **extra: str) -> InteractionResponse:
    options = {
        "name": name,
        "organization": f"{name} Health Department",
        "discipline": "Epidemiology",
        "region": "West",
        **extra,
    }
    return await bot.command("join", options, user=user)


async def test_join_profile_directory_and_coordinator_approval(
    fake: FakeDiscord, storage: Storage
) -> None:
    async with running_bot(fake, storage, approval_config(fake)) as bot:
        # Alice joins with the form: the required fields come first, in one modal.
        opened = await bot.command("join", user="alice")
        assert opened.type == MODAL and opened.data is not None
        inputs = modal_inputs(opened.data)
        assert list(inputs) == ["name", "organization", "discipline", "region", "jurisdiction"]
        assert inputs["name"]["value"] == "alice"  # her Discord name, pre-filled
        assert inputs["discipline"]["type"] == 3  # a select, not a text to type exactly
        step = await bot.submit(
            opened.data,
            {
                "name": "Alice Admin",
                "organization": "Alameda County Public Health",
                "discipline": ["Epidemiology"],
                "region": ["West"],
                "jurisdiction": "Alameda County",
            },
        )
        assert step.type == CHANNEL_MESSAGE and is_private(step)
        assert "Step 1 of 2 is saved" in text_of(step.data)
        assert step.message is not None
        # Everything left is optional, so she may finish at once.
        finished = await bot.click(
            button(step.data, ":finish:")["custom_id"], step.message, user="alice"
        )
        assert finished.type == UPDATE_MESSAGE  # the prompt is replaced by the answer
        assert "Welcome to Our Coalition" in text_of(finished.data)
        assert buttons_of(finished.data) == []

        # Bob joins with typed options; in approval mode he waits for a coordinator.
        asked = await join_with_options(bot, "bob", "Bob Okafor")
        assert is_private(asked)
        assert "sent to the coordinators" in text_of(asked.data)
        card = await fake.wait_for_message("coordinators", lambda m: "Bob Okafor" in text_of(m))
        approve = button(card, "join.approve")
        assert button(card, "join.decline")["custom_id"].startswith("cb:join.decline:")
        assert "still waiting" in text_of((await bot.command("directory", user="bob")).data)

        # Alice approves; Bob is told in a direct message.
        approved = await bot.click(approve["custom_id"], card, user="alice")
        assert approved.type == UPDATE_MESSAGE
        decided = fake.messages[int(card["id"])]
        assert "Approved by **Alice Admin** on <t:" in text_of(decided)
        assert decided["components"] == []
        told = await bot.followup(approved)
        assert told.json["flags"] & FLAG_EPHEMERAL
        assert "You approved **Bob Okafor**" in text_of(told.json)
        dm = await fake.wait_for_message(fake.dm_channel("bob"), timeout=WAIT)
        assert "Welcome to Our Coalition" in text_of(dm)

        # Carol joins through both steps of the form, choosing interests from a list.
        opened = await bot.command("join", user="carol")
        assert opened.data is not None
        step = await bot.submit(
            opened.data,
            {
                "name": "Carol Diaz",
                "organization": "Denver Public Health",
                "discipline": ["Nursing"],
                "region": ["Southwest"],
                "jurisdiction": "",
            },
            user="carol",
        )
        assert step.message is not None
        second = await bot.click(
            button(step.data, ":open:")["custom_id"], step.message, user="carol"
        )
        assert second.type == MODAL and second.data is not None
        inputs = modal_inputs(second.data)
        assert list(inputs) == ["interests", "timezone", "language"]  # no code: no roster imported
        assert inputs["interests"]["max_values"] == len(Config().lists.interests)
        assert inputs["timezone"]["value"] == "America/Chicago"
        sent = await bot.submit(
            second.data,
            {
                "interests": ["Housing", "Health Equity"],
                "timezone": "america/denver",
                "language": ["en"],
            },
            user="carol",
            message=step.message,
        )
        assert "sent to the coordinators" in text_of(sent.data)
        card = await fake.wait_for_message("coordinators", lambda m: "Carol Diaz" in text_of(m))

        # Bob, a member but not a coordinator, cannot approve: told privately, nothing changes.
        before = json.dumps(fake.messages[int(card["id"])], sort_keys=True)
        refused = await bot.click(button(card, "join.approve")["custom_id"], card, user="bob")
        assert refused.type == CHANNEL_MESSAGE and is_private(refused)
        assert "Only **coordinators** can do that." in text_of(refused.data)
        assert json.dumps(fake.messages[int(card["id"])], sort_keys=True) == before
        assert "still waiting" in text_of((await bot.command("profile view", user="carol")).data)

        await bot.click(button(card, "join.approve")["custom_id"], card, user="alice")
        profile = await bot.command("profile view", user="carol")
        shown = text_of(profile.data)
        assert profile.data is not None and profile.data["embeds"][0]["title"] == "Carol Diaz"
        assert "Housing, Health Equity" in shown and "America/Denver" in shown

        # Another member's profile, named with Discord's user option.
        bobs = await bot.command("profile view", {"member": "bob"}, user="carol")
        assert "Bob Okafor Health Department" in text_of(bobs.data)

        found = await bot.command("directory", {"region": "West"}, user="carol")
        listing = text_of(found.data)
        assert "2 members found" in listing
        assert "Alice Admin" in listing and "Bob Okafor" in listing and "Carol" not in listing


async def test_export_arrives_as_a_json_file(bot: Bot) -> None:
    await join_with_options(bot, "alice", "Alice Admin")
    exported = await bot.command("export")
    (upload,) = exported.call.files
    assert upload.filename.endswith(".json")
    assert json.loads(upload.data)["profile"]["display_name"] == "Alice Admin"
    assert is_private(exported)


async def test_leave_confirmation_replaces_its_buttons(bot: Bot) -> None:
    await join_with_options(bot, "alice", "Alice Admin")
    asked = await bot.command("leave")
    assert asked.message is not None and is_private(asked)
    confirm = button(asked.data, "leave.confirm")
    done = await bot.click(confirm["custom_id"], asked.message, user="alice")
    assert done.type == UPDATE_MESSAGE
    assert "deleted" in text_of(done.data) and done.data is not None
    assert done.data["components"] == []
    assert "join the coalition first" in text_of((await bot.command("directory")).data)


async def test_a_spanish_discord_gets_the_form_in_spanish(bot: Bot) -> None:
    opened = await bot.command("join", user="carol", locale="es-419")
    assert opened.data is not None
    assert opened.data["title"] == "Unirse a la coalición (1/2)"
    assert modal_inputs(opened.data)["name"]["label"] == "Nombre para mostrar"
