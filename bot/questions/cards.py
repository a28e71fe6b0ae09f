"""How a question looks: posted with its upvotes and button, its answer once answered."""

from __future__ import annotations

from bot.i18n import Translator
from bot.messages import Actions, Button, Context, Heading, Message, Plain, Section, Strong, Text
from bot.questions.model import Question
from bot.roles import Role

UPVOTE_ACTION = "question.upvote"


def asker(tr: Translator, question: Question, role: Role | None = None) -> str:
    """Who asked, as the reader may see it: an anonymous asker's name only for admins."""
    if question.anonymous and role is not Role.ADMIN:
        return tr.plain("Anonymous")
    return question.asked_by_name or tr.plain("Former member")


def question_card(tr: Translator, question: Question) -> Message:
    """The posted question, in the coalition's language; never an anonymous asker's name."""
    number = "#" + str(question.id)
    blocks: list[Heading | Section | Context | Actions] = [
        Heading(tr.plain("Question {number}", number=number)),
        Section((Plain(question.text),)),
    ]
    upvotes = tr.plural("{count} upvote", "{count} upvotes", question.upvotes)
    line: Text = (Plain(f"{asker(tr, question)} · {upvotes}"),)
    if question.topics:
        line += (Plain(" · " + ", ".join(question.topics)),)
    blocks.append(Context(line))
    if question.hidden:
        return Message((Section(tr("This question was hidden by a coordinator.")),))
    if question.answer is not None:
        blocks.append(Section((*tr("Answer:"), Plain(" "), Strong(question.answer))))
    else:
        blocks.append(Actions((Button(tr.plain("Upvote"), UPVOTE_ACTION, str(question.id)),)))
    return Message(tuple(blocks))


def queue_line(tr: Translator, question: Question, role: Role) -> Section:
    upvotes = tr.plural("{count} upvote", "{count} upvotes", question.upvotes)
    return Section(
        (
            Strong(f"#{question.id}"),
            Plain(f" · {upvotes} · {asker(tr, question, role)}\n"),
            Plain(question.text),
        )
    )
