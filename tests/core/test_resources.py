"""The resource library through the dispatcher, on a real SQLite database and a manual clock."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from bot.catalogue import Args, Catalogue, Command
from bot.context import Context
from bot.dispatcher import Dispatcher
from bot.identity import Identity, Place
from bot.invocation import CommandCall
from bot.messages import Button, Message, Notice, Replacing, Reply, say
from bot.ports import PostedMessage
from bot.resources.posting import post_queued_reviews
from storage import Storage
from tests.harness import Harness, Posted, text_of

TOOLKIT = "https://www.example.org/housing-toolkit"


async def setup(harness: Harness) -> None:
    """An admin, a coordinator (Dana) and a member (Maria)."""
    await harness.join("admin", "Admin")
    await harness.join("dana", "Dana Reyes")
    await harness.join("maria", "Maria Lopez")
    await harness.say("admin", "role grant @dana coordinator")
    harness.poster.posts.clear()


async def suggest(harness: Harness, url: str = TOOLKIT, **extra: str) -> str:
    fields = {
        "url": url,
        "title": "Housing and Health Toolkit",
        "description": "Steps for health departments working with housing authorities",
        "type": "toolkit",
        "topics": "housing, eviction prevention",
        **extra,
    }
    line = " ".join(f'{k}="{v}"' for k, v in fields.items())
    return text_of(await harness.say("maria", f"resource suggest {line}"))


def review_post(harness: Harness) -> Posted:
    posts = harness.poster.to("#coordinators")
    assert posts, "nothing was posted for review"
    return posts[-1]


def button(message: Message, action: str) -> Button:
    return next(b for b in message.buttons if b.action == action)


async def test_suggestion_is_saved_then_posted_for_review_with_buttons(harness: Harness) -> None:
    await setup(harness)
    answer = await suggest(harness)
    assert "sent Housing and Health Toolkit to the coordinators" in answer
    post = review_post(harness)
    assert "Maria Lopez suggested Housing and Health Toolkit" in post.text
    assert [b.action for b in post.message.buttons] == [
        "resource.approve",
        "resource.edit",
        "resource.reject",
    ]
    assert "Topics: Housing, eviction prevention" in post.text  # listed topic in its spelling
    async with harness.storage.unit_of_work() as uow:
        resource = await uow.resources.get(1)
    assert resource is not None and resource.review == "posted"


async def test_approve_publishes_tells_the_suggester_and_removes_the_buttons(
    harness: Harness,
) -> None:
    await setup(harness)
    await suggest(harness)
    post = review_post(harness)
    harness.clock.advance(timedelta(hours=2))
    reply = await harness.click("dana", button(post.message, "resource.approve"))
    assert "You approved Housing and Health Toolkit" in text_of(reply)
    assert reply.update_original is not None
    assert reply.update_original.buttons == ()
    assert "Approved by Dana Reyes on" in reply.update_original.fallback_text()
    published = harness.poster.to("#resources")
    assert len(published) == 1 and "Housing and Health Toolkit" in published[0].text
    told = harness.poster.to("@maria")
    assert told and "Dana Reyes approved your suggestion" in told[-1].text

    view = text_of(await harness.say("maria", "resource view 1"))
    assert "Suggested by Maria Lopez" in view and "Approved by Dana Reyes" in view


async def test_a_member_click_is_refused_and_changes_nothing(harness: Harness) -> None:
    await setup(harness)
    await suggest(harness)
    post = review_post(harness)
    for action in ("resource.approve", "resource.reject", "resource.edit"):
        reply = await harness.click("maria", button(post.message, action))
        assert reply.private and "Only coordinators can do that" in text_of(reply)
        assert reply.update_original is None and reply.form is None
    assert harness.poster.to("#resources") == []
    pending = text_of(await harness.say("dana", "resource pending"))
    assert "Housing and Health Toolkit" in pending


async def test_reject_asks_for_a_reason_and_tells_the_suggester_privately(
    harness: Harness,
) -> None:
    await setup(harness)
    await suggest(harness)
    post = review_post(harness)
    reply = await harness.click("dana", button(post.message, "resource.reject"))
    assert reply.form is not None and reply.form.command == ("resource", "reject")
    fields = {f.name: f for f in reply.form.fields}
    assert fields["id"].value == "1" and fields["reason"].required
    done = await harness.run(
        "dana", ("resource", "reject"), id="1", reason="Already covered by the state toolkit"
    )
    assert "You rejected Housing and Health Toolkit" in text_of(done)
    told = harness.poster.to("@maria")
    assert "The coordinators' reason: Already covered by the state toolkit" in told[-1].text
    assert harness.poster.to("#resources") == []
    # Nothing left to decide: the button now says who decided.
    again = await harness.click("dana", button(post.message, "resource.approve"))
    assert "Dana Reyes already rejected this suggestion" in text_of(again)
    assert harness.poster.to("#resources") == []


async def test_reject_needs_a_reason(harness: Harness) -> None:
    await setup(harness)
    await suggest(harness)
    reply = await harness.say("dana", "resource reject 1")
    assert reply.invalid_field == "reason" and "reason is required" in text_of(reply)


@pytest.mark.both_databases
async def test_second_decision_is_told_who_decided_first(harness: Harness) -> None:
    await setup(harness)
    await suggest(harness)
    post = review_post(harness)
    await harness.click("dana", button(post.message, "resource.approve"))
    late = await harness.click("admin", button(post.message, "resource.approve"))
    assert "Dana Reyes already approved this suggestion" in text_of(late)
    assert late.update_original is not None and late.update_original.buttons == ()
    assert len(harness.poster.to("#resources")) == 1


async def test_edit_form_is_prefilled_and_changes_are_audited(harness: Harness) -> None:
    await setup(harness)
    await suggest(harness)
    post = review_post(harness)
    reply = await harness.click("dana", button(post.message, "resource.edit"))
    assert reply.form is not None and reply.form.command == ("resource", "edit")
    values = {f.name: f.value for f in reply.form.fields}
    assert values["title"] == "Housing and Health Toolkit"
    assert values["topics"] == "Housing, eviction prevention"
    edited = await harness.say(
        "dana", 'resource edit 1 title="Housing & Health: A Toolkit" type=policy'
    )
    assert "Saved your changes" in text_of(edited)
    audit = text_of(await harness.say("dana", "resource audit 1"))
    assert "Dana Reyes edited #1" in audit
    assert "title: Housing and Health Toolkit → Housing & Health: A Toolkit" in audit
    assert "type: toolkit → policy" in audit
    assert "Maria Lopez suggested #1" in audit
    await harness.click("dana", button(post.message, "resource.approve"))
    audit = text_of(await harness.say("dana", "resource audit"))
    assert "Dana Reyes approved #1" in audit
    # In the library it can still be corrected (see test_resources_library.py).
    later = await harness.say("dana", "resource edit 1 title=Other")
    assert "Search and the library export show them now" in text_of(later)
    members_view = await harness.say("maria", "resource audit")
    assert "Only coordinators can do that" in text_of(members_view)


async def test_duplicates_are_caught_through_normalization(harness: Harness) -> None:
    await setup(harness)
    await suggest(harness)
    again = await suggest(
        harness, "HTTPS://WWW.Example.org:443/housing-toolkit/?utm_source=news#top"
    )
    assert "already suggested and is waiting for review" in again
    assert TOOLKIT in again
    await harness.click("dana", button(review_post(harness).message, "resource.approve"))
    third = await suggest(harness, "www.example.org/housing-toolkit?fbclid=abc")
    assert "already in the library" in third and "/coalition resource view 1" in third
    assert await harness.storage_count("resources") == 1


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("javascript:alert(1)", "Only web links starting with http:// or https://"),
        ("file:///etc/passwd", "Only web links starting with http:// or https://"),
        ("data:text/html,hi", "Only web links starting with http:// or https://"),
        ("ftp://example.org/file", "Only web links starting with http:// or https://"),
        ("not a url", "is not a web link I can use"),
        ("https://", "is not a web link I can use"),
        ("https://localhost:99999/x", "is not a web link I can use"),
        ("https://" + "a" * 2000 + ".org", "url can be at most 2000 characters"),
    ],
)
async def test_bad_links_are_refused_with_an_example(harness: Harness, url: str, says: str) -> None:
    await setup(harness)
    reply = await harness.run(
        "maria", ("resource", "suggest"), url=url, title="Anything", type="toolkit"
    )
    assert says in text_of(reply)
    assert reply.invalid_field == "url"
    assert await harness.storage_count("resources") == 0
    assert await harness.storage_count("resource_audit") == 0
    assert harness.poster.to("#coordinators") == []


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"title": "   "}, "title", "title is required"),
        ({"title": "T" * 201}, "title", "title can be at most 200 characters; yours has 201"),
        ({"description": "D" * 1001}, "description", "at most 1000 characters"),
        ({"type": "podcast"}, "type", "podcast is not one of the choices for type"),
        ({"topics": "x" * 61}, "topics", "can be at most 60 characters"),
        ({"topics": ",".join(f"t{n}" for n in range(11))}, "topics", "at most 10 entries"),
        ({"jurisdiction": "county"}, "level", "local, state, national"),
    ],
)
async def test_bad_fields_are_named_and_nothing_is_saved(
    harness: Harness, fields: dict[str, str], field: str, says: str
) -> None:
    await setup(harness)
    args = {"url": TOOLKIT, "title": "Toolkit", "type": "toolkit", **fields}
    reply = await harness.run("maria", ("resource", "suggest"), from_form=True, **args)
    assert reply.invalid_field == field
    assert says in text_of(reply)
    assert await harness.storage_count("resources") == 0


async def test_suggest_without_options_opens_a_form(harness: Harness) -> None:
    await setup(harness)
    reply = await harness.say("maria", "resource suggest")
    assert reply.form is not None
    fields = {f.name: f for f in reply.form.fields}
    assert fields["url"].required and fields["url"].kind == "url"
    assert "toolkit" in fields["type"].choices
    assert fields["topics"].kind == "tags" and "Housing" in fields["topics"].choices


async def test_guests_cannot_suggest(harness: Harness) -> None:
    reply = await harness.say("stranger", f"resource suggest url={TOOLKIT} title=T type=law")
    assert "join the coalition first" in text_of(reply)


@dataclass
class FlakyPoster:
    """A platform that is down until told otherwise, and can say where it posted."""

    platform: str = "console"
    down: bool = True
    posts: list[tuple[str, Message]] = field(default_factory=list)
    edits: list[tuple[PostedMessage, Message]] = field(default_factory=list)

    async def post_to_channel(self, channel: str, message: Message) -> PostedMessage:
        if self.down:
            raise ConnectionError("platform unavailable")
        self.posts.append((channel, message))
        return PostedMessage(self.platform, channel, f"m{len(self.posts)}")

    async def post_to_user(self, identity: Identity, message: Message) -> PostedMessage:
        return await self.post_to_channel(f"@{identity.user_id}", message)

    async def edit(self, posted: PostedMessage, message: Message) -> None:
        self.edits.append((posted, message))


@pytest.mark.both_databases
async def test_a_failed_review_post_stays_queued_and_is_posted_later(harness: Harness) -> None:
    await setup(harness)
    flaky = FlakyPoster()
    harness.dispatcher.broadcaster.connect(flaky)  # replaces the recording poster
    answer = await suggest(harness)
    assert "sent Housing and Health Toolkit to the coordinators" in answer  # saved all the same
    async with harness.storage.unit_of_work() as uow:
        resource = await uow.resources.get(1)
    assert resource is not None and resource.review == "queued"

    services = harness.dispatcher.services
    assert await post_queued_reviews(services) == 1  # still down
    flaky.down = False
    assert await post_queued_reviews(services) == 0
    assert [channel for channel, _ in flaky.posts] == ["coordinators"]
    assert await post_queued_reviews(services) == 0  # never posted twice
    assert len(flaky.posts) == 1
    async with harness.storage.unit_of_work() as uow:
        resource = await uow.resources.get(1)
    assert resource is not None and resource.review == "posted"
    assert resource.review_posts == (PostedMessage("console", "coordinators", "m1"),)


async def test_reject_by_form_edits_the_stored_review_post(harness: Harness) -> None:
    await setup(harness)
    poster = FlakyPoster(down=False)
    harness.dispatcher.broadcaster.connect(poster)
    await suggest(harness)
    await harness.run("dana", ("resource", "reject"), id="1", reason="Out of scope")
    assert len(poster.edits) == 1
    edited_post, card = poster.edits[0]
    assert edited_post == PostedMessage("console", "coordinators", "m1")
    assert card.buttons == ()
    assert (
        "Rejected by Dana Reyes" in card.fallback_text() and "Out of scope" in card.fallback_text()
    )


async def test_edit_refreshes_the_stored_review_post_keeping_its_buttons(
    harness: Harness,
) -> None:
    await setup(harness)
    poster = FlakyPoster(down=False)
    harness.dispatcher.broadcaster.connect(poster)
    await suggest(harness)
    await harness.say("dana", "resource edit 1 title=Renamed")
    (_, card) = poster.edits[-1]
    assert "Renamed" in card.fallback_text() and len(card.buttons) == 3


@pytest.mark.both_databases
async def test_a_claimed_review_post_is_not_posted_twice_until_the_claim_lapses(
    harness: Harness,
) -> None:
    await setup(harness)
    flaky = FlakyPoster()
    harness.dispatcher.broadcaster.connect(flaky)
    await suggest(harness)
    now = harness.clock.now()
    async with harness.storage.unit_of_work() as uow:  # a worker that then crashed
        assert await uow.resources.claim_review_post(1, now, now + timedelta(minutes=5))
        await uow.commit()
    flaky.down = False
    assert await post_queued_reviews(harness.dispatcher.services) == 0
    assert flaky.posts == []
    harness.clock.advance(timedelta(minutes=6))
    await post_queued_reviews(harness.dispatcher.services)
    assert len(flaky.posts) == 1


async def test_search_finds_approved_only_with_filters_and_pages(harness: Harness) -> None:
    await setup(harness)
    await suggest(harness)
    await harness.click("dana", button(review_post(harness).message, "resource.approve"))
    await suggest(
        harness,
        "https://example.org/eviction-data",
        title="Eviction data dashboard",
        type="data",
        topics="housing",
        jurisdiction="state",
    )
    await harness.click("dana", button(review_post(harness).message, "resource.approve"))
    await suggest(harness, "https://example.org/pending", title="Housing pending one")

    found = text_of(await harness.say("maria", "resource search housing"))
    assert "2 resources found" in found and "pending one" not in found
    both = text_of(await harness.say("maria", "resource search eviction housing sort=newest"))
    assert "2 resources found" in both
    stemmed = text_of(await harness.say("maria", "resource search dashboards"))
    assert "1 resource found" in stemmed
    data = text_of(await harness.say("maria", "resource search housing type=data"))
    assert "1 resource found" in data and "Eviction data dashboard" in data
    state = text_of(await harness.say("maria", "resource search jurisdiction=state"))
    assert "Eviction data dashboard" in state and "Toolkit" not in state
    by_topic = text_of(await harness.say("maria", 'resource search topic="Eviction Prevention"'))
    assert "Housing and Health Toolkit" in by_topic and "dashboard" not in by_topic
    nothing = text_of(await harness.say("maria", "resource search zebra"))
    assert "No resource in the library matches that" in nothing
    recent = text_of(await harness.say("maria", "resource recent"))
    assert recent.index("Eviction data dashboard") < recent.index("Housing and Health Toolkit")


@pytest.mark.parametrize(
    "typed",
    [
        'query="\\"unbalanced"',
        "query=(housing",
        "query=housing)",
        'query="NEAR(housing toolkit)"',
        "NEAR(housing toolkit)",
        "housing OR toolkit AND NOT policy",
        'housing* toolkit^ "with" NEAR/2',
        "query=housing*",
        "query=*",
        'query="housing AND OR NOT toolkit"',
        "query=housing:title",
        "query=^housing",
        "query=-housing",
        "query='",
        'query="{}[]"',
    ],
)
async def test_hostile_search_strings_never_fail(harness: Harness, typed: str) -> None:
    await setup(harness)
    await suggest(harness)
    await harness.click("dana", button(review_post(harness).message, "resource.approve"))
    reply = await harness.say("maria", f"resource search {typed}")
    said = text_of(reply)
    assert "Something went wrong" not in said
    assert (
        "resource found" in said
        or "No resource in the library matches" in said
        or "I found no words to search for" in said
        or "quotation mark is not closed" in said
    )


async def test_searches_that_are_too_long_or_empty_of_words_say_why(harness: Harness) -> None:
    await setup(harness)
    long = await harness.run("maria", ("resource", "search"), query="housing " * 1250)
    assert "at most 200 characters" in text_of(long)
    typed = await harness.say("maria", "resource search " + "x" * 10_000)
    assert "the most I accept is 8000" in text_of(typed)
    symbols = await harness.say("maria", 'resource search "*** ((( )))"')
    assert "I found no words to search for" in text_of(symbols)


async def test_members_cannot_view_suggestions_under_review_but_coordinators_can(
    harness: Harness,
) -> None:
    await setup(harness)
    await harness.join("sam", "Sam Okafor")
    await suggest(harness)
    refused = await harness.say("sam", "resource view 1")
    assert "not in the library" in text_of(refused)
    own = await harness.say("maria", "resource view 1")
    assert "waiting for review" in text_of(own)
    coordinator = await harness.say("dana", "resource view 1")
    assert coordinator.message is not None and len(coordinator.message.buttons) == 3
    missing = await harness.say("dana", "resource view 99")
    assert "There is no resource #99" in text_of(missing)


async def test_pending_lists_oldest_first_for_coordinators(harness: Harness) -> None:
    await setup(harness)
    await suggest(harness, title="First one")
    harness.clock.advance(timedelta(minutes=1))
    await suggest(harness, "https://example.org/second", title="Second one")
    listing = text_of(await harness.say("dana", "resource pending"))
    assert listing.index("First one") < listing.index("Second one")
    assert "Only coordinators" in text_of(await harness.say("maria", "resource pending"))


async def test_replacing_notices_reach_only_platforms_that_can_edit(harness: Harness) -> None:
    # The recording poster cannot edit: replacing is skipped, not an error.
    notice = Notice(Replacing(PostedMessage("console", "c", "1")), Message(()))
    assert await harness.dispatcher.broadcaster.deliver([notice]) == 0
    editor = FlakyPoster(down=False)
    harness.dispatcher.broadcaster.connect(editor)
    assert await harness.dispatcher.broadcaster.deliver([notice]) == 0
    assert editor.edits == [(PostedMessage("console", "c", "1"), Message(()))]


async def test_follow_ups_run_after_the_commit_and_a_failing_one_is_only_logged(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []

    async def fails() -> None:
        raise RuntimeError("platform exploded")

    async def counts() -> None:
        async with harness.storage.unit_of_work() as uow:  # the change is visible: committed
            assert await uow.members.by_identity(harness.who("maria")) is not None
        ran.append("second")

    async def handler(ctx: Context, args: Args) -> Reply:
        ctx.require_member()
        return Reply(
            message=say(ctx.tr("Nothing changed: the values are the same as before.")),
            after_commit=(fails, counts),
        )

    commands = (Command(("probe",), "probe", handler),)
    probe = Dispatcher(
        Catalogue(commands, ()),
        harness.storage.unit_of_work,
        harness.clock,
        harness.config,
        harness.dispatcher.broadcaster,
    )
    await harness.join("maria", "Maria Lopez")
    identity, place = harness.who("maria"), Place("console", "local", "general")
    reply = await probe.run(CommandCall(identity, place, ("probe",)))
    assert "Nothing changed" in text_of(reply) and ran == ["second"]
    assert "work after the commit failed" in caplog.text


async def test_help_offers_topics_as_examples_and_edit_by_number_opens_the_form(
    harness: Harness,
) -> None:
    await setup(harness)
    shown = text_of(await harness.say("maria", "help resource suggest"))
    assert "or your own — for example: Health Equity, Housing" in shown
    assert "type (required): What kind of resource it is — one of: law, policy" in shown
    await suggest(harness)
    reply = await harness.say("dana", "resource edit 1")
    assert reply.form is not None
    assert {f.name: f.value for f in reply.form.fields}["type"] == "toolkit"


@pytest.mark.parametrize("word", ["-", "none", "None"])
async def test_an_edit_can_remove_the_description(harness: Harness, word: str) -> None:
    await setup(harness)
    await suggest(harness)
    edited = await harness.say("dana", f"resource edit 1 description={word}")
    assert "Saved your changes" in text_of(edited)
    audit = text_of(await harness.say("dana", "resource audit 1"))
    assert "description: Steps for health departments working with housing authorities → " in audit
    again = await harness.say("dana", "resource edit 1 description=-")
    assert "Nothing changed" in text_of(again)  # already blank


async def test_a_members_export_holds_their_own_suggestions(storage: Storage) -> None:
    harness = Harness(storage)  # on SQLite and on PostgreSQL
    await setup(harness)
    await suggest(harness)
    await suggest(harness, url="https://example.org/flyer", title="Housing fair flyer")
    await harness.say("dana", "resource edit 2 title=Flyer")  # corrections show as they are
    await harness.say("dana", 'resource reject 2 reason="Out of scope"')
    await harness.say(
        "dana", "resource suggest url=https://example.org/other title=Other type=other"
    )
    reply = await harness.say("maria", "export")
    assert reply.message is not None
    (attachment,) = reply.message.attachments
    mine = json.loads(attachment.content)["suggested_resources"]
    assert [(s["title"], s["url"], s["status"]) for s in mine] == [
        ("Housing and Health Toolkit", TOOLKIT, "pending"),
        ("Flyer", "https://example.org/flyer", "rejected"),
    ]  # Dana's suggestion is hers, not Maria's
    assert mine[0]["suggested_at"] and mine[0]["decided_at"] is None
    assert mine[1]["decided_at"] is not None
