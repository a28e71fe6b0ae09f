"""Forms as Slack modals, and a submitted modal's state back to option values.

Each question is an input block whose block_id is the option's name, so an
error about one option is shown next to that field. What the form was for
(the command, and where it was typed) travels in the view's private_metadata:
the adapter keeps no state between opening a modal and its submission.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from adapters.slack.escape import fit
from adapters.slack.limits import (
    INPUT_HINT,
    INPUT_LABEL,
    MODAL_TITLE,
    OPTION_GROUPS,
    OPTION_TEXT,
    OPTION_VALUE,
    OPTIONS_PER_SELECT,
    PRIVATE_METADATA,
    TEXT_INPUT_MAX,
    groups,
)
from adapters.slack.render import PLATFORM, JsonDict, plain
from bot.i18n import language_name
from bot.identity import Identity
from bot.messages import Form, FormField
from bot.timezones import search_timezones

CALLBACK_ID = "coalition_form"
VALUE_ACTION = "value"
TIMEZONE_ACTION = "coalition_timezone"
YES = "yes"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # what the core's date options take
_TIME = re.compile(r"^\d{1,2}:\d{2}$")  # 24-hour, as Slack's timepicker gives it
_SELECTS = {"static_select", "external_select", "radio_buttons"}
_MULTI_SELECTS = {"multi_static_select", "multi_external_select"}
_CHOOSES = {"choice", "choices", "language"}
_NO_HINT = {"choices", "boolean"}  # the core's hints describe typing, which these widgets replace


@dataclass(frozen=True, slots=True)
class FormOrigin:
    """What a modal is for: the command it runs, and where the person typed it."""

    path: tuple[str, ...]
    channel: str
    thread: str | None = None
    is_direct: bool = False
    # The slash command's response_url (valid 30 minutes): the answer goes there, privately.
    response_url: str | None = None
    # The form's values sent with the answers but not shown (Form.carried).
    carried: tuple[tuple[str, str], ...] = ()

    def encode(self) -> str:
        data = {
            "p": list(self.path),
            "c": self.channel,
            "t": self.thread,
            "d": self.is_direct,
            "r": self.response_url,
            "v": dict(self.carried),
        }
        encoded = json.dumps(data, separators=(",", ":"))
        if len(encoded) > PRIVATE_METADATA:  # only a freak response_url could do this
            encoded = json.dumps({**data, "r": None}, separators=(",", ":"))
        return encoded

    @classmethod
    def decode(cls, text: str) -> FormOrigin | None:
        try:
            data = json.loads(text)
            path = tuple(str(p) for p in data["p"])
            carried = tuple((str(k), str(v)) for k, v in (data.get("v") or {}).items())
            return cls(
                path, str(data["c"]), data.get("t"), bool(data.get("d")), data.get("r"), carried
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


def form_view(form: Form, origin: FormOrigin) -> JsonDict:
    title = fit(form.title, MODAL_TITLE)
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": replace(origin, carried=form.carried).encode(),
        "title": plain(title),
        # The button says what it does ("Join the coalition"); Slack adds a Cancel button.
        "submit": plain(title),
        "blocks": [_input(field) for field in form.fields],
    }


def _input(field: FormField) -> JsonDict:
    block: JsonDict = {
        "type": "input",
        "block_id": field.name,
        "label": plain(fit(field.label or field.name, INPUT_LABEL)),
        "optional": not field.required,
        "element": _element(field),
    }
    if field.hint and _widget(field) not in _NO_HINT:
        block["hint"] = plain(fit(field.hint, INPUT_HINT))
    return block


def _widget(field: FormField) -> str:
    """The kind of input the field gets: its own, but typed text for a menu of no choices
    (Slack refuses a menu without options; the command says what it takes)."""
    return field.kind if field.choices or field.kind not in _CHOOSES else "text"


def _element(field: FormField) -> JsonDict:
    match _widget(field):
        case "choice" | "language":
            return _select("static_select", field, _wanted(field.value, field.choices)[:1])
        case "choices":
            chosen = _wanted(field.value.split(","), field.choices)
            return _select("multi_static_select", field, chosen)
        case "timezone":
            element: JsonDict = {
                "type": "external_select",
                "action_id": TIMEZONE_ACTION,
                "min_query_length": 0,
            }
            if field.value:
                element["initial_option"] = _option(field.value)
            return element
        case "boolean":
            yes = {"text": plain(fit(field.label or field.name, OPTION_TEXT)), "value": YES}
            element = {"type": "checkboxes", "action_id": VALUE_ACTION, "options": [yes]}
            if field.value.strip().lower() in {YES, "true", "y", "1", "on"}:
                element["initial_options"] = [yes]
            return element
        case "integer":
            element = {"type": "number_input", "action_id": VALUE_ACTION}
            element["is_decimal_allowed"] = False
            if field.value.strip().lstrip("-").isdigit():
                element["initial_value"] = field.value.strip()
            return element
        case "date":
            element = {"type": "datepicker", "action_id": VALUE_ACTION}
            if _DATE.match(field.value.strip()):
                element["initial_date"] = field.value.strip()
            return element
        case "time":
            element = {"type": "timepicker", "action_id": VALUE_ACTION}
            if _TIME.match(field.value.strip()):
                element["initial_time"] = field.value.strip().zfill(5)
            return element
        case "url":
            element = {"type": "url_text_input", "action_id": VALUE_ACTION}
            if field.value:
                element["initial_value"] = field.value
            return element
        case "member":
            element = {"type": "users_select", "action_id": VALUE_ACTION}
            if field.value.startswith(("U", "W")) and field.value.isalnum():
                element["initial_user"] = field.value
            return element
    element = {
        "type": "plain_text_input",
        "action_id": VALUE_ACTION,
        "multiline": field.kind == "long_text",
        "max_length": max(1, min(field.max_length, TEXT_INPUT_MAX)),
    }
    if field.value:
        element["initial_value"] = field.value[: element["max_length"]]
    return element


def _wanted(values: str | Sequence[str], choices: Sequence[str]) -> list[str]:
    """The choices named in a pre-filled value, in the choices' spelling."""
    wanted = [values] if isinstance(values, str) else list(values)
    by_lower = {c.lower(): c for c in choices}
    found = (by_lower.get(v.strip().lower()) for v in wanted)
    return [c for c in found if c is not None]


def _select(kind: str, field: FormField, chosen: Sequence[str]) -> JsonDict:
    element: JsonDict = {"type": kind, "action_id": VALUE_ACTION}
    label = language_name if field.kind == "language" else str
    options = [_option(c, label(c)) for c in field.choices]
    if len(options) <= OPTIONS_PER_SELECT:
        element["options"] = options
    else:
        # Long lists go in groups of 100; the menu still filters as the person types.
        element["option_groups"] = [
            {
                "label": plain(f"{i * OPTIONS_PER_SELECT + 1}–{i * OPTIONS_PER_SELECT + len(g)}"),
                "options": list(g),
            }
            for i, g in enumerate(groups(options, OPTIONS_PER_SELECT)[:OPTION_GROUPS])
        ]
    picked = [_option(c, label(c)) for c in chosen]
    if picked and kind == "static_select":
        element["initial_option"] = picked[0]
    elif picked:
        element["initial_options"] = picked
    return element


def _option(value: str, text: str | None = None) -> JsonDict:
    return {"text": plain(fit(text or value, OPTION_TEXT)), "value": value[:OPTION_VALUE]}


def timezone_options(query: str, home: str | None = None) -> list[JsonDict]:
    """Up to 100 time zones matching what the person typed (bot/timezones.py's order)."""
    return [_option(z) for z in search_timezones(query, home)[:OPTIONS_PER_SELECT]]


def submitted_values(state: Mapping[str, Mapping[str, Any]], workspace: str) -> dict[str, Any]:
    """Option values from a submitted modal's state.values, keyed by option name."""
    values: dict[str, Any] = {}
    for block_id, actions in state.items():
        for element in actions.values():
            values[block_id] = _element_value(element, workspace)
    return values


def _element_value(element: Mapping[str, Any], workspace: str) -> Any:
    kind = element.get("type")
    if kind in _SELECTS:
        return (element.get("selected_option") or {}).get("value") or ""
    if kind in _MULTI_SELECTS:
        return [o.get("value", "") for o in element.get("selected_options") or []]
    if kind == "checkboxes":
        return YES if element.get("selected_options") else "no"
    if kind == "users_select":
        user = element.get("selected_user")
        return Identity(PLATFORM, workspace, user) if user else ""
    if kind == "datepicker":
        return element.get("selected_date") or ""
    if kind == "timepicker":
        return element.get("selected_time") or ""
    return element.get("value") or ""
