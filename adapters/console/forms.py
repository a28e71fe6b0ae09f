"""Forms in the terminal: a walk-through of the fields, one question each.

Nothing typed is thrown away. A wrong answer is asked again (the others stay as
answered); a form stopped half-way (Ctrl-C, /cancel, the end of the input, or
the same field answered wrongly too often) is set aside with every answer, and
the person is told how to go on (/resume) or to type it as one command.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.i18n import Translator, translator
from bot.messages import Form, FormField, Given, Reply, Usage, typed_usage

# Tries at one field before the form is set aside: a person stuck on one answer
# is better served by reading the help than by being asked a fourth time.
TRIES_PER_FIELD = 3
CANCEL = "/cancel"
# What the terminal's reader returns for Ctrl-C: the line (or form) is dropped at once.
INTERRUPTED = "\x03"
# An answer starting with one of these is a command typed in the middle of a form, not
# an answer (a display name of "/coalition help" is never meant): the form is set aside
# with its answers, and the command runs.
COMMANDS = frozenset(
    {"/coalition", "/as", "/in", "/click", "/reply", "/resume", "/help", "/quit", "/exit"}
)

Ask = Callable[[str], Awaitable[str | None]]  # None: no more input
Out = Callable[[str], None]
Submit = Callable[[Form, dict[str, str]], Awaitable[Reply]]
ShowError = Callable[[Reply], None]
ShowReply = Callable[[Reply], Awaitable[None]]


@dataclass
class KeptForm:
    """A form set aside: its answers so far, and the first field not yet walked through."""

    form: Form
    values: dict[str, str] = field(default_factory=dict)
    position: int = 0


class FormWalk:
    """Walks one form; `kept` holds it, with its answers, when it was not finished.

    A form set aside is kept for the user who was filling it in (`owner`): after
    "/as jose", /resume must not give José Maria's half-answered evaluation to finish
    and submit as his own.
    """

    def __init__(
        self,
        ask: Ask,
        out: Out,
        submit: Submit,
        show_error: ShowError,
        show_reply: ShowReply,
        owner: Callable[[], str] = lambda: "",
    ) -> None:
        self.ask = ask
        self.out = out
        self.submit = submit
        self.show_error = show_error
        self.show_reply = show_reply
        self.owner = owner
        self.set_aside: dict[str, KeptForm] = {}
        self.typed_instead: str | None = None  # a command typed in place of an answer

    @property
    def kept(self) -> KeptForm | None:
        """The current user's form set aside, if any."""
        return self.set_aside.get(self.owner())

    async def start(self, form: Form) -> None:
        tr = translator(form.language)  # the form's own language, for the words around it
        self.out(
            tr.plain(
                "{form}. Press Enter to skip an optional field or keep the value shown.",
                form=form.title,
            )
        )
        self.out(tr.plain("(Type /cancel or press Ctrl-C to stop; your answers are kept.)"))
        await self._walk(KeptForm(form))

    async def resume(self) -> bool:
        """Go on with the form set aside; False if there is none."""
        kept = self.set_aside.pop(self.owner(), None)
        if kept is None:
            return False
        tr = translator(kept.form.language)
        self.out(tr.plain("{form}, where you stopped.", form=kept.form.title))
        await self._walk(kept)
        return True

    async def _walk(self, kept: KeptForm) -> None:
        form, values = kept.form, kept.values
        tr = translator(form.language)
        while kept.position < len(form.fields):
            current = form.fields[kept.position]
            answer = await self._ask_field(current, values, tr)
            if answer is None:
                self._set_aside(kept, tr)
                return
            _keep(values, current, answer)
            kept.position += 1
        fields = {f.name: f for f in form.fields}
        tries: Counter[str] = Counter()
        while True:
            reply = await self.submit(form, dict(values))
            bad = fields.get(reply.invalid_field or "")
            if bad is None or reply.message is None:
                await self.show_reply(reply)
                return
            self.show_error(reply)
            tries[bad.name] += 1
            if tries[bad.name] >= TRIES_PER_FIELD:
                self.out(tr.plain("(Three answers to {field} were not accepted.)", field=bad.label))
                self._set_aside(kept, tr)
                return
            answer = await self._ask_field(bad, values, tr, again=True)
            if answer is None:
                self._set_aside(kept, tr)
                return
            _keep(values, bad, answer)

    async def _ask_field(
        self, asked: FormField, values: dict[str, str], tr: Translator, *, again: bool = False
    ) -> str | None:
        """The answer (the value shown on Enter), or None when the person stopped."""
        # Asked again after an error, Enter keeps what the form first showed, not the
        # answer that was just refused.
        shown = asked.value if again else values.get(asked.name, asked.value)
        answer = await self.ask(f"  {question(asked, tr, shown)}: ")
        if answer is None:
            return None
        answer = answer.strip()
        if answer in (CANCEL, INTERRUPTED):
            return None
        if answer.split(" ", 1)[0].lower() in COMMANDS:
            self.typed_instead = answer
            return None
        return answer or shown

    def _set_aside(self, kept: KeptForm, tr: Translator) -> None:
        typed = {name: value for name, value in kept.values.items() if value}
        if not typed:
            self.out(tr.plain("(form cancelled)"))
            return
        self.set_aside[self.owner()] = kept
        command = Usage(
            " ".join(kept.form.command),
            tuple(Given(name, value) for name, value in kept.form.carried)
            + tuple(Given(f.name, typed[f.name]) for f in kept.form.fields if f.name in typed),
        )
        self.out(
            tr.plain(
                "(form set aside; your answers are kept. Type /resume to go on where you "
                "stopped, or type the command with them: {command})",
                command=typed_usage(command),
            )
        )


def _keep(values: dict[str, str], answered: FormField, answer: str) -> None:
    if answer:
        values[answered.name] = answer
    else:  # an optional field left empty: nothing to send
        values.pop(answered.name, None)


def question(asked: FormField, tr: Translator, shown: str) -> str:
    """The field's label, whether it must be answered, what it is for and how to answer
    (in the words `/coalition help` uses for the same)."""
    text = asked.label + (tr.plain(" (required)") if asked.required else "")
    if asked.hint:  # what the field is for, and any way of answering it (such as "-")
        # A hint that is a whole sentence loses its full stop: ", one of: ..." or the
        # prompt's ":" follow it, and ".," or ".:" read as a slip.
        text += f" — {asked.hint.rstrip().removesuffix('.')}"
    listed = ", ".join(asked.choices)
    if asked.choices and asked.kind == "tags":  # a suggestion: any other tag is welcome too
        text += ", " + tr.plain("for example: {choices}", choices=listed)
    elif asked.choices:
        text += ", " + tr.plain("one of: {choices}", choices=listed)
    if shown:
        text += f" [{shown}]"
    return text
