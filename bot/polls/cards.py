"""How a poll looks: its question, a text result bar per option, a button per option."""

from __future__ import annotations

from bot.i18n import Translator
from bot.messages import (
    Actions,
    Button,
    Context,
    Heading,
    Message,
    Plain,
    Section,
    Strong,
    Text,
)
from bot.polls.model import Poll
from bot.timefmt import moment

VOTE_ACTION = "poll.vote"
BAR_WIDTH = 10
# Names shown under an option of a named poll's results; the rest are counted.
NAMES_SHOWN = 15


def vote_target(poll_id: int, option: int) -> str:
    return f"{poll_id}:{option}"


def bar(count: int, total: int) -> str:
    """A text result bar, the same on every platform: ███░░░░░░░."""
    filled = round(BAR_WIDTH * count / total) if total else 0
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def _names(tr: Translator, names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    if len(names) <= NAMES_SHOWN:
        return shown
    more = len(names) - NAMES_SHOWN
    return shown + " " + tr.plain("and {count} more", count=str(more))


def _results(
    tr: Translator, poll: Poll, names: dict[int, list[str]] | None = None
) -> list[Section]:
    total = sum(poll.counts)
    lines = []
    for i, (label, count) in enumerate(zip(poll.options, poll.counts, strict=True)):
        percent = round(100 * count / total) if total else 0
        votes = tr.plural("{count} vote", "{count} votes", count)
        text: Text = (
            Strong(label),
            Plain(f"\n{bar(count, total)} "),
            Plain(f"{votes} ({percent}%)"),
        )
        if names and names.get(i):
            text += (Plain("\n" + _names(tr, names[i])),)
        lines.append(Section(text))
    return lines


def _kind(tr: Translator, poll: Poll) -> str:
    if poll.anonymous:
        return tr.plain("Anonymous: nobody can see who chose what. Your vote is final.")
    if poll.multiple:
        return tr.plain("Named, several choices: click an option again to take it back.")
    return tr.plain("Named, one choice: click another option to change your vote.")


def poll_card(tr: Translator, poll: Poll, zone: str) -> Message:
    """The posted poll, in the coalition's language; counts shown if live or closed."""
    blocks: list[Heading | Section | Context | Actions] = [Heading(poll.question)]
    shown = poll.live or not poll.is_open
    if shown:
        blocks.extend(_results(tr, poll))
    else:
        blocks.append(
            Section(
                (
                    Plain(" · ".join(poll.options)),
                    Plain("\n"),
                    *tr("Results are shown when the poll closes."),
                )
            )
        )
    voters = tr.plural("{count} member has voted", "{count} members have voted", poll.voters)
    context: Text = (Plain(f"#{poll.id} · {voters} · {_kind(tr, poll)}"),)
    if not poll.is_open:
        context += (Plain(" "), *tr("This poll is closed."))
    elif poll.closes_at is not None:
        context += (
            Plain(" "),
            *tr("Closes {when}.", when=moment(poll.closes_at, zone, tr.language)),
        )
    blocks.append(Context(context))
    if poll.is_open:
        blocks.append(
            Actions(
                tuple(
                    Button(label, VOTE_ACTION, vote_target(poll.id, i))
                    for i, label in enumerate(poll.options)
                )
            )
        )
    return Message(tuple(blocks))


def final_results(tr: Translator, poll: Poll, names: dict[int, list[str]] | None = None) -> Message:
    """Posted in the channel when the poll closes; a named poll's with who chose what."""
    heading = tr.plain("Poll closed: {question}", question=poll.question)
    voters = tr.plural("{count} member voted.", "{count} members voted.", poll.voters)
    return Message((Heading(heading), *_results(tr, poll, names), Context((Plain(voters),))))
