"""The membership scenario of the foundation issue, done in Slack end to end."""

from __future__ import annotations

from typing import Any

from bot.config import CoalitionSettings, Config
from storage import Storage
from tests.adapters.slack.harness import SlackScene, socket_scene
from tests.fakes.slack import FakeSlack

REVIEWS = "C9"  # #coordinators, the configured reviews channel
APPROVAL = Config(coalition=CoalitionSettings(approval_required=True), admins=("slack:UDANA",))
PROFILE = {
    "organization": "Alameda County Public Health",
    "discipline": "Epidemiology",
    "region": "West",
    "interests": ["Housing"],
}


async def test_join_profile_and_directory(slack: SlackScene) -> None:
    sent = await slack.command("join")
    view = await slack.opened_view(sent)
    assert (await slack.submit(view, PROFILE)).ack == {}
    assert "Welcome to Our Coalition!" in (await slack.answer(sent)).params["text"]

    profile = await slack.answer(viewed := await slack.command("profile view"))
    assert profile.params["blocks"][0]["text"]["text"] == "Maria Lopez"
    fields = [f["text"] for b in profile.params["blocks"] for f in b.get("fields", [])]
    assert "*Interests*\nHousing" in fields
    assert "America/Los_Angeles" in profile.params["text"]
    assert viewed.ack["response_type"] == "ephemeral"  # answered in the ack itself

    await slack.command(
        'join name="Sam Okafor" organization="Okafor Health" discipline=Nursing region=Midwest',
        user="USAM",
    )
    await slack.settled()
    directory = await slack.answer(await slack.command("directory region=West"))
    assert "Maria Lopez" in directory.params["text"]
    assert "Sam Okafor" not in directory.params["text"]


async def _approval_scene_joins(scene: SlackScene) -> dict[str, Any]:
    """Dana (an admin) and Sam are members; Maria asks to join. Returns the review post."""
    fake = scene.fake
    await scene.command(
        'join name="Dana Reyes" organization="State DOH" discipline=Policy region=West',
        user="UDANA",
    )
    await scene.command(
        'join name="Sam Okafor" organization="Okafor Health" discipline=Nursing region=Midwest',
        user="USAM",
    )
    await scene.settled()
    (sams_request,) = fake.messages_in(REVIEWS)
    await scene.click(REVIEWS, sams_request, "Approve", user="UDANA")
    await scene.settled()

    sent = await scene.command("join")
    view = await scene.opened_view(sent)
    assert (await scene.submit(view, PROFILE)).ack == {}
    thanks = await scene.answer(sent)
    assert "sent to the coordinators" in thanks.params["text"]
    await scene.settled()
    request = fake.messages_in(REVIEWS)[-1]
    assert "Maria Lopez" in request["text"]
    return request


async def _approval_scenario(scene: SlackScene) -> None:
    fake = scene.fake
    request = await _approval_scene_joins(scene)
    labels = [e["text"]["text"] for b in request["blocks"] for e in b.get("elements", [])]
    assert labels == ["Approve", "Decline"]
    before = dict(request)

    # Sam is a member, not a coordinator: refused privately, the post and data unchanged.
    refused = await scene.click(REVIEWS, request, "Approve", user="USAM")
    assert refused.ack == {}
    answer = await scene.answer(refused)
    assert "Only coordinators can do that" in answer.params["text"]
    assert answer.params["response_type"] == "ephemeral"
    assert answer.params.get("replace_original") is False
    await scene.settled()
    assert fake.messages_in(REVIEWS)[-1] == before
    assert len(fake.calls_to("chat.update")) == 1  # only Sam's own request, decided earlier
    maria = await scene.member("U1")
    assert maria is not None and maria.status.value == "pending"

    approved = await scene.click(REVIEWS, request, "Approve", user="UDANA")
    answer = await scene.answer(approved)
    assert "You approved Maria Lopez" in answer.params["text"]
    await scene.settled()
    decided = fake.messages_in(REVIEWS)[-1]
    assert decided["ts"] == request["ts"]  # replaced in place
    assert "Approved by Dana Reyes" in decided["text"]
    assert not [b for b in decided["blocks"] if b["type"] == "actions"]  # buttons gone
    welcome = fake.messages_in("U1")
    assert len(welcome) == 1 and "Welcome to Our Coalition!" in welcome[0]["text"]
    maria = await scene.member("U1")
    assert maria is not None and maria.status.value == "active"

    # A second click on the old buttons (a stale client) says who decided first.
    late = await scene.click(REVIEWS, before, "Decline", user="UDANA")
    assert "Dana Reyes already approved this request" in (await scene.answer(late)).params["text"]


async def test_approval_with_buttons(fake: FakeSlack, storage: Storage) -> None:
    """On SQLite and PostgreSQL: approval mode, Dana an admin from the configuration."""
    async with socket_scene(fake, storage, APPROVAL) as scene:
        await _approval_scenario(scene)


async def test_a_form_not_done_in_time_closes_and_is_answered_after(
    fake: FakeSlack, sqlite: Storage
) -> None:
    # form_in_ack=0: no form is done in time, as when Slack is slow to take the review post.
    async with socket_scene(fake, sqlite, APPROVAL, form_in_ack=0.0) as scene:
        sent = await scene.command("join")
        view = await scene.opened_view(sent)
        submitted = await scene.submit(view, PROFILE)
        assert submitted.ack == {}  # the modal closed without waiting for the post
        thanks = await scene.answer(sent)  # ...and the answer followed
        assert "sent to the coordinators" in thanks.params["text"]
        await scene.settled()
        assert "Maria Lopez" in fake.messages_in(REVIEWS)[-1]["text"]


async def test_a_slow_command_is_acknowledged_in_time_and_answered_after(
    fake: FakeSlack, sqlite: Storage
) -> None:
    # answer_in_ack=0: no answer is ready in time, as when the review post waits out a 429.
    async with socket_scene(fake, sqlite, APPROVAL, answer_in_ack=0.0) as scene:
        sent = await scene.command(
            'join name="Maria Lopez" organization=Org discipline=Nursing region=West'
        )
        assert sent.ack == {}  # not ready in time: acknowledged empty...
        thanks = await scene.answer(sent)  # ...and answered through the response_url
        assert thanks.method == "response_url"
        assert "sent to the coordinators" in thanks.params["text"]
