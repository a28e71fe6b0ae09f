"""Voting with a poll's buttons, and closing a poll by command."""

from __future__ import annotations

from bot.catalogue import Args
from bot.context import Context
from bot.errors import UserError
from bot.messages import Code, Message, Reply, Strong, say
from bot.options import ID_MAX
from bot.polls.cards import final_results
from bot.polls.edits import after
from bot.polls.model import Poll, VoteOutcome
from bot.roles import Role


async def _find(ctx: Context, poll_id: int) -> Poll:
    poll = await ctx.uow.polls.get(poll_id)
    if poll is None:
        raise UserError(
            "There is no poll {number}. Type {command} to see the polls and their numbers.",
            number=Code(f"#{poll_id}"),
            command=Code("/coalition poll list"),
        )
    return poll


def _closed(ctx: Context, poll: Poll) -> Message:
    """A closed poll's results, for the person who clicked or closed it again."""
    results = final_results(ctx.tr, poll)
    note = say(ctx.tr("This poll is closed, so votes are no longer taken. The results:"))
    return Message(note.blocks + results.blocks)


async def vote_clicked(ctx: Context, target: str) -> Reply:
    poll_text, _, option_text = target.partition(":")
    if not (poll_text.isdigit() and option_text.isdigit()) or len(target) > 24:
        raise UserError("That button is out of date. Ask in the channel for the poll's number.")
    me = ctx.require_member()
    poll_id, option = int(poll_text), int(option_text)
    if poll_id > ID_MAX or option > ID_MAX:  # beyond the database's integers
        raise UserError("That button is out of date. Ask in the channel for the poll's number.")
    # The poll itself is read only when the vote is refused: a vote is the busiest
    # path of a poll (everyone clicks within seconds of its post).
    vote = await ctx.uow.polls.vote(poll_id, me.id, option)
    if vote.outcome == VoteOutcome.CLOSED:
        return Reply(message=_closed(ctx, await _find(ctx, poll_id)))
    if vote.outcome == VoteOutcome.NO_OPTION:
        raise UserError("That button is out of date. Ask in the channel for the poll's number.")
    if vote.outcome == VoteOutcome.ALREADY:
        raise UserError(
            "You have already voted in this anonymous poll. An anonymous vote is final: nothing ties it to you, so it cannot be changed."
        )
    label = Strong(vote.label)
    if vote.outcome == VoteOutcome.REMOVED:
        text = ctx.tr("You took back your vote for {option}.", option=label)
    elif vote.outcome == VoteOutcome.CHANGED:
        text = ctx.tr("You changed your vote to {option}.", option=label)
    else:
        text = ctx.tr("You voted for {option}.", option=label)
    return Reply(message=say(text), after_commit=(after(ctx.services, poll_id, "refresh"),))


async def close(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    poll = await _find(ctx, int(args["id"]))
    if poll.created_by != me.id and ctx.role < Role.COORDINATOR:
        raise UserError(
            "Only the member who created poll {number} or a coordinator can close it. Ask {name} or a coordinator.",
            number=Code(f"#{poll.id}"),
            name=Strong(poll.created_by_name),
        )
    if not await ctx.uow.polls.close(poll.id, me.id, ctx.clock.now()):
        raise UserError("Poll {number} is already closed.", number=Code(f"#{poll.id}"))
    done = ctx.tr(
        "Closed poll {number}. I'm posting the results in {channel}.",
        number=Code(f"#{poll.id}"),
        channel=Strong(f"#{poll.channel}"),
    )
    return Reply(message=say(done), after_commit=(after(ctx.services, poll.id, "close"),))
