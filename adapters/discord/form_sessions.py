"""Forms being filled in on Discord, step by step, kept in the database every replica shares.

A form of more than five fields is asked in several modals; between them the
answers so far are kept under a random token that the modals' and buttons'
custom_ids carry. Kept in the database (storage/discord_forms.py), the next step
may reach any replica, or this one after a restart. A form expires FORM_TTL after
it was opened, as Discord's interaction tokens do; a periodic job deletes it then.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from adapters.discord import limits
from bot.clock import Clock
from bot.messages import Form, FormField
from storage.discord_forms import DiscordForms

FORM_TTL = timedelta(minutes=15)  # Discord's interaction tokens live as long
PURGE_SECONDS = 5 * 60  # how often expired forms are deleted


def paginate(fields: tuple[FormField, ...]) -> tuple[tuple[FormField, ...], ...]:
    """Steps of at most five fields, the required ones first, otherwise in the form's order."""
    ordered = [f for f in fields if f.required] + [f for f in fields if not f.required]
    size = limits.MODAL_ITEMS
    return tuple(tuple(ordered[i : i + size]) for i in range(0, len(ordered), size))


@dataclass
class FormSession:
    token: str
    user_id: int
    form: Form
    public: bool  # whether the command's answer is seen by the channel
    pages: tuple[tuple[FormField, ...], ...]
    answers: dict[str, Any] = field(default_factory=dict)
    seen: set[int] = field(default_factory=set)

    def next_page(self) -> int | None:
        return next((i for i in range(len(self.pages)) if i not in self.seen), None)

    def page_of(self, name: str) -> int | None:
        return next(
            (i for i, page in enumerate(self.pages) if any(f.name == name for f in page)), None
        )

    def unseen_fields(self) -> list[FormField]:
        return [f for i, page in enumerate(self.pages) if i not in self.seen for f in page]

    def value(self, form_field: FormField) -> Any:
        return self.answers.get(form_field.name, form_field.value)


def new_session(form: Form, user_id: int, *, public: bool) -> FormSession:
    return FormSession(secrets.token_hex(8), user_id, form, public, paginate(form.fields))


class FormSessions:
    """Forms being filled in, by token, in the database until sent or expired."""

    def __init__(self, store: DiscordForms, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def open(self, form: Form, user_id: int, *, public: bool) -> FormSession:
        session = new_session(form, user_id, public=public)
        now = self._clock.now()
        state = _dump(session)
        await self._store.save(session.token, str(user_id), state, expires_at=now + FORM_TTL)
        return session

    async def save(self, session: FormSession) -> None:
        """Keep the answers so far (the form keeps the expiry it was opened with)."""
        now = self._clock.now()
        state = _dump(session)
        await self._store.save(
            session.token, str(session.user_id), state, expires_at=now + FORM_TTL
        )

    async def get(self, token: str, user_id: int) -> FormSession | None:
        """The session, if it is still open and belongs to this person."""
        state = await self._store.load(token, str(user_id), now=self._clock.now())
        return None if state is None else _load(token, user_id, state)

    async def close(self, token: str) -> None:
        await self._store.delete(token)

    async def forget_expired(self) -> None:
        await self._store.forget_expired(self._clock.now())


def _dump(session: FormSession) -> str:
    form = session.form
    return json.dumps(
        {
            "command": list(form.command),
            "title": form.title,
            "language": form.language,
            "carried": dict(form.carried),
            "fields": [asdict(f) for f in form.fields],
            "public": session.public,
            "answers": session.answers,
            "seen": sorted(session.seen),
        }
    )


def _load(token: str, user_id: int, state: str) -> FormSession:
    data = json.loads(state)
    fields = tuple(FormField(**{**f, "choices": tuple(f["choices"])}) for f in data["fields"])
    carried = tuple(data.get("carried", {}).items())  # forms saved before it had none
    form = Form(
        tuple(data["command"]), data["title"], fields, language=data["language"], carried=carried
    )
    answers = {k: tuple(v) if isinstance(v, list) else v for k, v in data["answers"].items()}
    return FormSession(
        token,
        user_id,
        form,
        data["public"],
        paginate(fields),
        answers=answers,
        seen=set(data["seen"]),
    )
