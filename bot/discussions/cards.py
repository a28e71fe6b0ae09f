"""How discussions look: the opening post, a line in the list, the closing note, the notice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.discussions.model import Discussion
from bot.i18n import Translator
from bot.messages import (
    Actions,
    Block,
    Button,
    ButtonStyle,
    Code,
    Context,
    Heading,
    Link,
    Message,
    Moment,
    Section,
    Span,
    Strong,
    usage,
)

FOLLOW_ACTION = "discussion.follow"


def opening_post(tr: Translator, discussion: Discussion) -> Message:
    blocks: list[Block] = [Heading(discussion.title), Section((Strong(discussion.question),))]
    if discussion.topics:
        blocks.append(Context(tr("Topics: {topics}", topics=", ".join(discussion.topics))))
    blocks.append(
        Context(
            tr(
                "Started by {name}. Reply in this thread; to be told of new replies, follow it with {command}.",
                name=Strong(discussion.started_by_name),
                command=usage("discussion follow", ("id", str(discussion.id))),
            )
        )
    )
    blocks.append(
        Actions(
            (Button(tr.plain("Follow"), FOLLOW_ACTION, str(discussion.id), ButtonStyle.PRIMARY),)
        )
    )
    return Message(tuple(blocks), topics=discussion.topics)


def thread_url(discussion: Discussion, platform: str) -> str:
    """A link to the discussion's thread on that platform; "" where there is none."""
    return next((t.url for t in discussion.threads if t.platform == platform and t.url), "")


def linked_title(discussion: Discussion, platform: str) -> Span:
    """The title, linking to its thread where the reader's platform has links."""
    url = thread_url(discussion, platform)
    return Link(url, discussion.title) if url else Strong(discussion.title)


def discussion_line(
    tr: Translator,
    discussion: Discussion,
    moment: Callable[[datetime], Moment],
    platform: str = "",
) -> Section:
    values: dict[str, str | Span] = {
        "number": Code(f"#{discussion.id}"),
        "title": linked_title(discussion, platform),
        "name": Strong(discussion.started_by_name),
        "channel": Strong(f"#{discussion.channel}"),
        "replies": tr.plural("{count} reply", "{count} replies", discussion.replies),
        "when": moment(discussion.last_activity),
    }
    if discussion.is_open:
        return Section(
            tr(
                "{number} {title} in {channel}, started by {name}: {replies}, last activity {when}",
                **values,
            )
        )
    return Section(
        tr(
            "{number} {title} in {channel} (closed), started by {name}: {replies}, last activity {when}",
            **values,
        )
    )


def closing_note(tr: Translator, discussion: Discussion, summary: str, closer: str) -> Message:
    blocks: list[Block] = [
        Section(
            tr(
                "This discussion is closed: {title}. Closed by {name}.",
                title=Strong(discussion.title),
                name=Strong(closer),
            )
        )
    ]
    if summary:
        blocks.append(Section(tr("Summary: {summary}", summary=Strong(summary))))
    return Message(tuple(blocks))


def replies_notice(tr: Translator, discussion: Discussion, new: int) -> Message:
    return Message(
        (
            Section(
                tr(
                    "{replies} in the discussion {title} in {channel}.",
                    replies=tr.plural("{count} new reply", "{count} new replies", new),
                    title=Strong(discussion.title),
                    channel=Strong(f"#{discussion.channel}"),
                )
            ),
            Context(
                tr(
                    "To stop these messages, type {command}.",
                    command=usage("discussion unfollow", ("id", str(discussion.id))),
                )
            ),
        )
    )
