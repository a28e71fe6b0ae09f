"""How an evaluation reads: the DM, its reminder, the public post, and the form."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from bot.evaluations.model import ANSWER_MAX, SCALE, Evaluation, Opened, session_target
from bot.i18n import Translator
from bot.messages import (
    Actions,
    Button,
    ButtonStyle,
    Form,
    FormField,
    Given,
    Heading,
    Message,
    Section,
    Text,
    Usage,
)
from bot.timefmt import moment

ANSWER_ACTION = "evaluation.answer"
CHANGE_ACTION = "evaluation.change"
ANSWER_COMMAND = ("evaluation", "answer")
SESSION_FIELD = "session"
# The form's answer fields, one per question of the template, in order.
ANSWER_FIELDS = ("answer1", "answer2", "answer3", "answer4")


def kind_sentence(tr: Translator, evaluation: Evaluation) -> Text:
    if evaluation.anonymous:
        return tr(
            "This evaluation is anonymous: your answers are kept without your name, and nobody, not even a coordinator, can see who answered what."
        )
    return tr(
        "This evaluation is named: coordinators see your name with your answers, and you can change them until it closes."
    )


def _until(tr: Translator, opened: Opened, zone: str) -> Text:
    return tr("Answers are taken until {when}.", when=moment(opened.closes_at, zone, tr.language))


def _day(tr: Translator, day: date) -> str:
    return format_date(day, format="medium", locale=tr.language)


def dm(
    tr: Translator, evaluation: Evaluation, opened: Opened, zone: str, *, reminder: bool
) -> Message:
    title = evaluation.meeting_title
    if reminder:
        heading = tr.plain("Reminder: how was {title}?", title=title)
        ask = tr(
            "You have not answered the evaluation of {title} on {day} yet. It takes a minute.",
            title=title,
            day=_day(tr, opened.occurrence),
        )
    else:
        heading = tr.plain("How was {title}?", title=title)
        ask = tr(
            "{title} on {day} has ended. Please answer a short evaluation: it helps the coalition plan the next sessions.",
            title=title,
            day=_day(tr, opened.occurrence),
        )
    return Message(
        (
            Heading(heading),
            Section(ask),
            Section(kind_sentence(tr, evaluation)),
            Section(_until(tr, opened, zone)),
            _button(tr, evaluation, opened),
        )
    )


def _button(tr: Translator, evaluation: Evaluation, opened: Opened) -> Actions:
    target = session_target(evaluation.id, opened.occurrence)
    label = tr.plain("Share your feedback")
    return Actions((Button(label, ANSWER_ACTION, target, ButtonStyle.PRIMARY),))


def public_post(tr: Translator, evaluation: Evaluation, opened: Opened, zone: str) -> Message:
    """In the meeting's channel, for those who came without saying Going."""
    return Message(
        (
            Heading(tr.plain("Share your feedback: {title}", title=evaluation.meeting_title)),
            Section(
                tr(
                    "Were you at {title} on {day}? Tell us how it went: the evaluation takes a minute.",
                    title=evaluation.meeting_title,
                    day=_day(tr, opened.occurrence),
                )
            ),
            Section(kind_sentence(tr, evaluation)),
            Section(_until(tr, opened, zone)),
            _button(tr, evaluation, opened),
        )
    )


def change_offer(tr: Translator, evaluation: Evaluation, opened: Opened) -> Message:
    target = session_target(evaluation.id, opened.occurrence)
    text = tr("You already answered this evaluation. You can change your answers until it closes.")
    button = Button(tr.plain("Change my answers"), CHANGE_ACTION, target)
    return Message((Section(text), Actions((button,))))


def answer_form(
    tr: Translator, evaluation: Evaluation, opened: Opened, values: tuple[str, ...] = ()
) -> Form:
    """The questions, in the reader's language; submitting runs `evaluation answer`."""
    target = session_target(evaluation.id, opened.occurrence)
    # The session travels with the form (Form.carried), never shown: nobody has to be
    # told to leave a field alone.
    fields: list[FormField] = []
    if evaluation.anonymous:
        hint = tr.plain("Anonymous: kept without your name.")
    else:
        hint = tr.plain("Named: kept with your name.")
    for i, question in enumerate(evaluation.questions):
        scale = question.kind == "scale"
        fields.append(
            FormField(
                name=ANSWER_FIELDS[i],
                label=tr.plain(question.text),
                hint=tr.plain("From 1 (not useful) to 5 (very useful). {kind}", kind=hint)
                if scale
                else hint,
                kind="choice" if scale else "long_text",
                required=scale,
                choices=SCALE if scale else (),
                value=values[i] if i < len(values) else "",
                max_length=1 if scale else ANSWER_MAX,
            )
        )
    typed = Usage(" ".join(ANSWER_COMMAND), (Given(SESSION_FIELD, target), Given("answer1", "...")))
    return Form(
        command=ANSWER_COMMAND,
        title=tr.plain("Evaluation: {title}", title=evaluation.meeting_title)[:45],
        fields=tuple(fields),
        unavailable=tr(
            "The form took too long to open. Type {command} to answer without it, or click the button again.",
            command=typed,
        ),
        language=tr.language,
        carried=((SESSION_FIELD, target),),
    )
