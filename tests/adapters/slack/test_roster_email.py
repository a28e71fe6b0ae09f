"""Joining from the roster on Slack without a code: with `users:read.email`, Slack's
profile email finds the person's invitation and the join form opens filled in from it.

Only the real users.info answer is used (the fake leaves the email out without the
scope, as Slack does); the email is never stored and never logged.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.roster.importing import apply_import, plan_import
from bot.roster.model import RosterEntry
from tests.adapters.slack.harness import SlackScene, state_of

ANA = RosterEntry("Ana Ruiz", "ana.ruiz@example.org", "Denver PH", "Nursing", "Southwest", "Denver")
EMAIL = "Ana.Ruiz@Example.org"  # as Slack has it: the roster keeps emails lower case


async def invite(slack: SlackScene, entry: RosterEntry = ANA) -> str:
    async with slack.app.storage.unit_of_work() as uow:
        planned = await plan_import(uow.invitations, [(2, entry)])
        await apply_import(uow.invitations, planned, at=slack.app.clock.now())
        await uow.commit()
    return planned[0].code


def prefilled(view: dict[str, Any]) -> dict[str, Any]:
    """What each field of an opened form shows before anyone types."""
    values: dict[str, Any] = {}
    for name, by_action in state_of(view, {}).items():
        (entry,) = by_action.values()
        chosen = entry.get("value") or (entry.get("selected_option") or {}).get("value")
        if chosen:
            values[name] = chosen
    return values


async def join_form(slack: SlackScene, user: str = "UANA") -> dict[str, Any]:
    return await slack.opened_view(await slack.command("join", user=user))


async def test_an_email_on_the_roster_opens_the_join_form_filled_from_its_row(
    slack: SlackScene,
) -> None:
    code = await invite(slack)
    slack.fake.add_user("UANA", name="ana", real_name="Ana R.", email=EMAIL)
    view = await join_form(slack)
    shown = prefilled(view)
    assert shown["code"] == code
    assert shown["name"] == "Ana Ruiz"  # the roster's, not Slack's "Ana R."
    assert shown["organization"] == "Denver PH" and shown["region"] == "Southwest"
    sent = await slack.submit(view, {}, user="UANA")
    await slack.settled()
    member = await slack.member("UANA")
    assert member is not None and member.profile.organization == "Denver PH", sent.ack
    async with slack.app.storage.unit_of_work() as uow:
        assert await uow.invitations.pending() == []  # the invitation is used


async def test_an_email_not_on_the_roster_opens_the_ordinary_form(slack: SlackScene) -> None:
    await invite(slack)
    slack.fake.add_user("UANA", name="ana", real_name="Ana R.", email="someone@else.org")
    shown = prefilled(await join_form(slack))
    assert "code" not in shown and "organization" not in shown
    assert shown["name"] == "Ana R."  # what Slack knows


async def test_without_the_email_scope_the_form_is_the_ordinary_one(slack: SlackScene) -> None:
    await invite(slack)
    slack.fake.add_user("UANA", name="ana", real_name="Ana R.", email=EMAIL)
    slack.fake.scopes.discard("users:read.email")  # an app installed before it was asked
    shown = prefilled(await join_form(slack))
    assert "code" not in shown and shown["name"] == "Ana R."
    (lookup,) = slack.fake.calls_to("users.info")
    assert "email" not in lookup.response["user"]["profile"]


async def test_a_refused_lookup_opens_the_ordinary_form(slack: SlackScene) -> None:
    await invite(slack)
    slack.fake.add_user("UANA", name="ana", real_name="Ana R.", email=EMAIL)
    slack.fake.fail_next("users.info", "missing_scope")  # no users:read at all
    shown = prefilled(await join_form(slack))
    assert "code" not in shown and shown["name"] == "ana"  # the command's user_name


async def test_an_email_slack_never_confirmed_opens_no_invitation(slack: SlackScene) -> None:
    await invite(slack)
    slack.fake.add_user("UANA", name="ana", email=EMAIL, is_email_confirmed=False)
    assert "code" not in prefilled(await join_form(slack))


async def test_the_email_is_never_logged(
    slack: SlackScene, caplog: pytest.LogCaptureFixture
) -> None:
    # Everything at INFO (how the bot runs), and every line of the bot's own at DEBUG.
    # Libraries' own DEBUG lines (slack_sdk's and Bolt's payloads, aiosqlite's SQL
    # parameters) show whatever passes through them, names and profiles alike.
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="adapters.slack.bolt")  # Bolt's, named by us
    for ours in ("bot", "adapters", "storage"):  # last: the capture handler takes DEBUG
        caplog.set_level(logging.DEBUG, logger=ours)
    await invite(slack)
    slack.fake.add_user("UANA", name="ana", real_name="Ana R.", email=EMAIL)
    view = await join_form(slack)
    await slack.submit(view, {}, user="UANA")
    await slack.settled()
    assert await slack.member("UANA") is not None
    assert any(r.name.startswith("bot.") for r in caplog.records), "nothing logged: proves nothing"
    logged = " ".join(r.getMessage() + repr(r.args) for r in caplog.records).lower()
    assert ANA.email not in logged
