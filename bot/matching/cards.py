"""How an introduction and a check-in look, in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import N_, Translator
from bot.identity import Identity
from bot.matching.model import MET, NOT_YET, SKIP, folded
from bot.members import Member
from bot.messages import (
    Actions,
    Button,
    Context,
    Heading,
    Mention,
    Message,
    Plain,
    Section,
    Strong,
    Text,
)

CHECKIN_ACTION = "match.checkin"
PLATFORM_NAMES = {"slack": N_("Slack"), "discord": N_("Discord"), "console": N_("the terminal")}
# Asked when the group shares no interest; picked by the round, so a group sees one.
STARTERS = (
    N_("What is one project your department is proud of this year?"),
    N_("What problem are you working on that others in the coalition might have solved?"),
    N_("What is one thing you wish other health departments knew about your work?"),
    N_("Who in public health taught you the most, and what did they teach you?"),
)


def shared_topics(members: Sequence[Member]) -> list[str]:
    """The interests every member of the group lists, as the first of them wrote them."""
    if not members:
        return []
    common = {folded(t) for t in members[0].profile.interests}
    for member in members[1:]:
        common &= {folded(t) for t in member.profile.interests}
    return [t for t in members[0].profile.interests if folded(t) in common]


def _who(tr: Translator, member: Member, account: Identity, reader: Identity | None) -> Text:
    """The member as the reader can reach them: a mention on the reader's platform, else
    their name with the platform and account to look for."""
    if reader is None or account.platform == reader.platform:
        return (Mention(member.name, (account,)),)
    known = account.platform in PLATFORM_NAMES
    platform = tr.plain(PLATFORM_NAMES[account.platform]) if known else account.platform
    return (
        Strong(member.name),
        Plain(" "),
        *tr(
            "(on {platform}, where their account is {handle})",
            platform=platform,
            handle=Strong(account.user_id),
        ),
    )


def introduction(
    tr: Translator,
    group: Sequence[tuple[Member, Identity]],
    *,
    reader: Identity | None,
    seed: int,
) -> Message:
    """The introduction of a group: to all of them at once (`reader` None: a group DM),
    or to one of them (`reader`), naming the others."""
    members = [m for m, _ in group]
    shown = [(m, a) for m, a in group if a != reader]
    blocks: list[Heading | Section | Context | Actions] = [
        Heading(tr.plain("Meet your peer match")),
    ]
    if reader is None:
        blocks.append(Section(tr("This round of peer matching brings you together. Say hello!")))
    else:
        blocks.append(Section(tr("This round of peer matching introduces you to:")))
    for member, account in shown:
        blocks.append(_line(tr, member, account, reader))
    topics = shared_topics(members)
    if topics:
        blocks.append(
            Section(tr("You share an interest in {topics}.", topics=Strong(", ".join(topics))))
        )
        question = tr.plain("How does your department approach {topic}?", topic=topics[0])
    else:
        question = tr.plain(STARTERS[seed % len(STARTERS)])
    blocks.append(Section(tr("A question to start: {question}", question=Strong(question))))
    blocks.append(Context(tr("Find a time to talk. In a week I will ask whether you met.")))
    return Message(tuple(blocks))


def _line(tr: Translator, member: Member, account: Identity, reader: Identity | None) -> Section:
    who = _who(tr, member, account, reader)
    profile = member.profile
    facts = [f for f in (profile.organization, profile.discipline, profile.region) if f]
    return Section((*who, Plain(" · " + ", ".join(facts))) if facts else who)


def checkin(tr: Translator, round_id: int, others: Sequence[Member]) -> Message:
    names = ", ".join(m.name for m in others) or tr.plain("your match")
    buttons = (
        Button(tr.plain("Yes"), CHECKIN_ACTION, f"{round_id}:{MET}"),
        Button(tr.plain("Not yet"), CHECKIN_ACTION, f"{round_id}:{NOT_YET}"),
        Button(tr.plain("Skip"), CHECKIN_ACTION, f"{round_id}:{SKIP}"),
    )
    return Message(
        (
            Section(tr("Did you meet {names}, your peer match of last week?", names=Strong(names))),
            Actions(buttons),
        )
    )
