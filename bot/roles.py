"""Who may do what. Roles are ordered: each includes the ones below it."""

from __future__ import annotations

from enum import IntEnum

from bot.i18n import N_


class Role(IntEnum):
    GUEST = 0  # not (yet) a member: may ask for help, join, link an account
    MEMBER = 1
    COORDINATOR = 2  # granted by an admin; reviews join requests and, later, resources
    ADMIN = 3  # named in the configuration

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Role.GUEST: N_("anyone"),
    Role.MEMBER: N_("members"),
    Role.COORDINATOR: N_("coordinators"),
    Role.ADMIN: N_("admins"),
}
