"""Whatever the core says, what the adapters send is a payload Slack and Discord accept.

The class of bug: one shape of message or form (an empty label, two equal buttons,
a long choice) that a platform refuses whole. So rather than examples, any neutral
message and any form are rendered, and every form the catalogue declares, and each
result goes through the same checks the fakes apply to what reaches them: Block Kit
through slack_sdk's models and Slack's limits; Discord bodies, as discord.py builds
them, through discord.py's payload types and Discord's published limits.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

import pytest
from discord.http import handle_message_parameters
from hypothesis import example, given, settings
from hypothesis import strategies as st

from adapters.discord.form_sessions import new_session
from adapters.discord.forms import FormModal
from adapters.discord.render import render as discord_render
from adapters.discord.render import render_one as discord_render_one
from adapters.slack.forms import FormOrigin, form_view, timezone_options
from adapters.slack.render import render as slack_render
from adapters.slack.render import render_one as slack_render_one
from bot.catalogue import OptionKind
from bot.clock import ManualClock
from bot.config import Config
from bot.context import Context
from bot.delivery import Services
from bot.forms import form_for
from bot.i18n import translator
from bot.identity import Identity, Place
from bot.invocation import ActorHints
from bot.messages import (
    Actions,
    Block,
    Button,
    ButtonStyle,
    Code,
    Field,
    Fields,
    Form,
    FormField,
    Heading,
    Link,
    Mention,
    Message,
    Moment,
    Plain,
    Section,
    Span,
    Strong,
)
from bot.messages import (
    Context as ContextBlock,
)
from bot.ports import UnitOfWork
from bot.registry import build_catalogue
from bot.roles import Role
from tests.fakes.discord_payloads import message_problems, modal_problems
from tests.fakes.discord_shapes import body_shape_problems
from tests.fakes.slack import blocks_refusal, view_refusal
from tests.fakes.slack_blockkit import options_problems
from tests.harness import START

SETTINGS = settings(max_examples=30, deadline=None)
LANGUAGES = ("en", "es")

# -- any neutral message ----------------------------------------------------------------

# Characters that are markup on one platform or the other, and some that are wide.
_TRICKY = "<>&*_~`|@#:!\\-\n \t\u200b😀éñ"
words = st.text(alphabet=st.sampled_from("abcxyz0123 ") | st.sampled_from(_TRICKY), max_size=60)
# Now and then a text far past every limit (split, shortened, never refused).
texts = st.one_of(
    words,
    words,
    st.builds(lambda w, n: (w or "word ") * n, words, st.integers(20, 120)),
)
identities = st.builds(
    Identity,
    st.sampled_from(["slack", "discord", "console"]),
    st.sampled_from(["T1", "1"]),
    st.sampled_from(["U1", "UDANA", "123456789012345678", "x"]),
)
moments = st.builds(
    Moment,
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    texts,
    st.sampled_from(["datetime", "date", "time", "relative"]),
)
spans: st.SearchStrategy[Span] = st.one_of(
    st.builds(Plain, texts),
    st.builds(Strong, texts),
    st.builds(Code, texts),
    st.builds(
        Link,
        st.sampled_from(["https://example.org/a?b=c&d=<e>", "javascript:alert(1)", "", "x"]),
        texts,
    ),
    st.builds(Mention, texts, st.lists(identities, max_size=2).map(tuple)),
    moments,
)
spans_list = st.lists(spans, max_size=6).map(tuple)
action_names = st.sampled_from(["membership.approve", "resources.open", "a", "x" * 40])
targets = st.one_of(
    st.sampled_from(["1", "42", ""]), st.text(alphabet="0123456789abcdef", max_size=90)
)
buttons = st.builds(Button, texts, action_names, targets, st.sampled_from(list(ButtonStyle)))
blocks: st.SearchStrategy[Block] = st.one_of(
    st.builds(Heading, texts),
    st.builds(Section, spans_list),
    st.builds(ContextBlock, spans_list),
    st.builds(Fields, st.lists(st.builds(Field, texts, spans_list), max_size=30).map(tuple)),
    st.builds(Actions, st.lists(buttons, max_size=30).map(tuple)),
)
messages = st.builds(Message, st.lists(blocks, max_size=8).map(tuple))


def slack_refusals(message: Message) -> list[str]:
    found: list[str] = []
    for rendered in [*slack_render(message), slack_render_one(message)]:
        found += blocks_refusal(rendered.blocks, 50)
        if not rendered.text and not rendered.blocks:
            found.append("no_text")
    return found


def discord_refusals(message: Message, language: str) -> list[str]:
    """Each part as discord.py sends it (its own JSON builder), checked as the fake checks."""
    found: list[str] = []
    for part in discord_render(message, language):
        body = handle_message_parameters(**part.send_kwargs(), nonce="1234567890").payload
        assert body is not None
        found += message_problems(body) + body_shape_problems("POST", "/channels/1/messages", body)
    edit = handle_message_parameters(**discord_render_one(message, language).edit_kwargs()).payload
    assert edit is not None
    path = "/channels/1/messages/2"
    found += message_problems(edit, edit=True) + body_shape_problems("PATCH", path, edit)
    return found


@SETTINGS
@given(messages)
# Found by hypothesis: a name nobody can ping, long and escaped, was one piece past 3,000.
@example(Message((Section((Mention("<&" * 1600, ()),)),)))
def test_any_message_renders_as_block_kit_slack_accepts(message: Message) -> None:
    assert slack_refusals(message) == []


@SETTINGS
@given(messages, st.sampled_from(LANGUAGES))
def test_any_message_renders_as_messages_discord_accepts(message: Message, language: str) -> None:
    assert discord_refusals(message, language) == []


def test_two_equal_buttons_in_one_message_are_sent_once_to_discord() -> None:
    """Discord refuses a message whose custom_ids repeat; the same button twice does one thing."""
    twice = Button("Approve", "membership.approve", "7")
    message = Message((Section((Plain("Dana asks to join"),)), Actions((twice, twice))))
    assert discord_refusals(message, "en") == []
    (part,) = discord_render(message, "en")
    view = part.view()
    assert view is not None and len(view.children) == 1


def test_a_button_without_a_label_still_has_one() -> None:
    message = Message((Actions((Button("", "membership.approve", "7"), Button(" ", "a", "8"))),))
    assert slack_refusals(message) == []
    assert discord_refusals(message, "en") == []


def test_a_button_without_a_target_carries_no_empty_value_to_slack() -> None:
    message = Message((Actions((Button("Open", "resources.open", ""),)),))
    assert slack_refusals(message) == []
    (element,) = slack_render(message)[0].blocks[0]["elements"]
    assert "value" not in element


def test_blank_text_alone_is_not_sent_to_discord() -> None:
    message = Message((Section(()), Actions(()), ContextBlock((Plain("  \n "),)), Section(())))
    assert discord_refusals(message, "en") == []


def test_a_part_of_only_unencodable_buttons_is_not_sent_to_discord() -> None:
    too_long = Button("Open", "resources.open", "x" * 100)
    message = Message((Section((Plain("First"),)), Actions(()), Actions((too_long,))))
    assert discord_refusals(message, "en") == []
    assert [p.content for p in discord_render(message, "en")] == ["First"]


# -- any form, and every form the catalogue declares ---------------------------------------

kinds = st.sampled_from([k.value for k in OptionKind])
form_fields = st.builds(
    FormField,
    name=st.from_regex(r"[a-z][a-z_]{0,30}", fullmatch=True),
    label=texts,
    hint=texts,
    kind=kinds,
    required=st.booleans(),
    choices=st.one_of(
        st.just(()),
        st.lists(
            st.text(alphabet="abcdefgh ,-_é", min_size=1, max_size=120), max_size=150, unique=True
        ).map(tuple),
    ),
    value=st.one_of(texts, st.sampled_from(["a,b", "yes", "2026-03-12", "9:30", "U1", "-3"])),
    max_length=st.integers(1, 6000),
)
forms = st.builds(
    Form,
    command=st.just(("meeting", "schedule")),
    title=texts,
    fields=st.lists(form_fields, min_size=1, max_size=12, unique_by=lambda f: f.name).map(tuple),
)


def slack_form_refusals(form: Form) -> list[str]:
    origin = FormOrigin(form.command, "C1", None, False, "https://hooks.slack.com/commands/T1/1/x")
    return view_refusal(form_view(form, origin))


def discord_form_refusals(form: Form, language: str) -> list[str]:
    found: list[str] = []
    session = new_session(form, 1, public=False)
    for page in range(len(session.pages)):
        data = FormModal(session, page, translator(language)).to_dict()
        body = {"type": 9, "data": data}
        found += modal_problems(data) + body_shape_problems(
            "POST", "/interactions/1/t/callback", body
        )
    return found


@SETTINGS
@given(forms)
def test_any_form_opens_as_a_modal_slack_accepts(form: Form) -> None:
    assert slack_form_refusals(form) == []


@SETTINGS
@given(forms, st.sampled_from(LANGUAGES))
def test_any_form_opens_as_modals_discord_accepts(form: Form, language: str) -> None:
    assert discord_form_refusals(form, language) == []


CATALOGUE = build_catalogue()
FORM_COMMANDS = sorted(path for path, command in CATALOGUE.commands.items() if command.options)


def catalogue_form(path: tuple[str, ...], language: str) -> Form:
    context = Context(
        actor=Identity("slack", "T1", "U1"),
        place=Place("slack", "T1", "C1"),
        member=None,
        role=Role.ADMIN,
        tr=translator(language),
        uow=cast(UnitOfWork, None),  # a form reads only the catalogue and the configuration
        clock=ManualClock(START),
        config=Config(),
        catalogue=CATALOGUE,
        hints=ActorHints(),
        services=cast(Services, None),  # nor anything after a commit
    )
    return form_for(context, path, {})


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", FORM_COMMANDS, ids=" ".join)
def test_every_declared_form_opens_on_slack_and_discord(
    path: tuple[str, ...], language: str
) -> None:
    form = catalogue_form(path, language)
    assert slack_form_refusals(form) == []
    assert discord_form_refusals(form, language) == []


@pytest.mark.parametrize("query", ["", "america", "zzz", "/", "Etc/GMT+1"])
def test_time_zone_menus_answer_with_options_slack_accepts(query: str) -> None:
    assert options_problems(timezone_options(query)) == []


def test_a_menu_with_no_choices_is_typed_on_slack() -> None:
    """A choice whose list is empty in the configuration (no regions yet)."""
    field = FormField("region", "Region", "Your region, e.g. West", "choice", required=True)
    form = Form(("join",), "Join", (field, FormField("topics", "Topics", "", "choices")))
    assert slack_form_refusals(form) == []
    origin = FormOrigin(form.command, "C1")
    region, topics = form_view(form, origin)["blocks"]
    assert region["element"]["type"] == topics["element"]["type"] == "plain_text_input"
    assert region["hint"]["text"] == "Your region, e.g. West"


def test_a_discord_form_of_empty_words_still_opens() -> None:
    fields = (
        FormField("name", "", "", "text"),
        FormField("language", " ", "", "language", choices=("en", "xx-not-a-locale", " ")),
    )
    assert discord_form_refusals(Form(("join",), "", fields), "en") == []
