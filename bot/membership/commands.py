"""The membership commands and buttons, declared once for every platform."""

from __future__ import annotations

from bot.catalogue import Action, Command, Option, OptionKind
from bot.i18n import N_
from bot.membership import approval, directory, leaving, linking, profiles, roles
from bot.membership.model import JURISDICTION_MAX, NAME_MAX, ORGANIZATION_MAX
from bot.roles import Role

K = OptionKind


def _profile_options(*, for_join: bool) -> tuple[Option, ...]:
    options = (
        Option(
            "name",
            K.TEXT,
            N_("Your name as other members see it"),
            N_("Display name"),
            required=for_join,
            max_length=NAME_MAX,
            example="Maria Lopez",
        ),
        Option(
            "organization",
            K.TEXT,
            N_("Your health department or partner organization"),
            N_("Organization"),
            required=for_join,
            max_length=ORGANIZATION_MAX,
            example="Alameda County Public Health",
        ),
        Option(
            "jurisdiction",
            K.TEXT,
            N_("The city, county, tribe or state you serve")
            if for_join
            else N_("The city, county, tribe or state you serve; type - to remove it"),
            N_("Jurisdiction"),
            max_length=JURISDICTION_MAX,
            clearable=True,
        ),
        Option(
            "discipline",
            K.CHOICE,
            N_("Your role or discipline"),
            N_("Role or discipline"),
            required=for_join,
            choices_from="disciplines",
            example="Epidemiology",
        ),
        Option(
            "region",
            K.CHOICE,
            N_("Your region"),
            N_("Region"),
            required=for_join,
            choices_from="regions",
            example="West",
        ),
        Option(
            "interests",
            K.CHOICES,
            N_("Topics you work on, separated by commas")
            if for_join
            else N_("Topics you work on, separated by commas; type - to remove them all"),
            N_("Interests"),
            choices_from="interests",
            clearable=True,
        ),
        Option(
            "timezone",
            K.TIMEZONE,
            N_("Your time zone, such as America/Chicago"),
            N_("Time zone"),
            example="America/Chicago",
        ),
        Option("language", K.LANGUAGE, N_("The language I use with you"), N_("Language")),
    )
    if for_join:
        code = Option(
            "code",
            K.TEXT,
            N_("The code from your invitation email, if you have one"),
            N_("Invitation code"),
            max_length=20,
            example="ABCDE-FGH23",
        )
        return (*options, code)
    listed = Option(
        "listed",
        K.BOOLEAN,
        N_("Show me in the directory (yes or no)"),
        N_("Listed in the directory"),
    )
    dm_reminders = Option(
        "dm_reminders",
        K.BOOLEAN,
        N_("Send me meeting reminders by direct message when I said Going (yes or no)"),
        N_("Meeting reminders by direct message"),
    )
    dm_platform = Option(
        "dm_platform",
        K.CHOICE,
        N_(
            "With linked accounts: where meeting reminders reach you (last: where you last used me)"
        ),
        N_("Reminders on"),
        choices=("last", "slack", "discord", "console"),
    )
    return (*options, listed, dm_reminders, dm_platform)


_MEMBER = Option(
    "member",
    K.MEMBER,
    N_("A member, as a mention or their name"),
    N_("Member"),
    required=True,
    example="@maria",
)

COMMANDS = (
    Command(
        ("join",),
        N_("Join the coalition with a short profile"),
        profiles.join,
        _profile_options(for_join=True),
        role=Role.GUEST,
        form=True,
        form_title=N_("Join the coalition"),
        prefill=profiles.join_prefill,
        form_hides=profiles.join_form_hides,
    ),
    Command(
        ("profile", "view"),
        N_("See your profile, or another member's"),
        profiles.view,
        (Option("member", K.MEMBER, N_("Whose profile (leave out for your own)"), N_("Member")),),
    ),
    Command(
        ("profile", "edit"),
        N_("Change your profile"),
        profiles.edit,
        _profile_options(for_join=False),
        form=True,
        form_title=N_("Edit your profile"),
        prefill=profiles.edit_prefill,
    ),
    Command(
        ("directory",),
        N_("Find members by name, organization, region, discipline or interest"),
        directory.search,
        (
            Option(
                "words",
                K.TEXT,
                N_("Words to find in names or organizations"),
                N_("Name or organization"),
                max_length=ORGANIZATION_MAX,
                example="Cook",
                takes_rest=True,
            ),
            Option("name", K.TEXT, N_("Part of a name"), N_("Name")),
            Option(
                "organization", K.TEXT, N_("Part of an organization's name"), N_("Organization")
            ),
            Option("region", K.CHOICE, N_("A region"), N_("Region"), choices_from="regions"),
            Option(
                "discipline",
                K.CHOICE,
                N_("A role or discipline"),
                N_("Role or discipline"),
                choices_from="disciplines",
            ),
            Option(
                "interest", K.CHOICE, N_("An interest"), N_("Interest"), choices_from="interests"
            ),
            Option(
                "page",
                K.INTEGER,
                N_("Which page of results"),
                N_("Page"),
                minimum=1,
                maximum=10_000,
            ),
        ),
    ),
    Command(
        ("requests",),
        N_("See requests to join that wait for a decision"),
        approval.pending,
        role=Role.COORDINATOR,
    ),
    Command(
        ("role", "grant"),
        N_("Make a member a coordinator"),
        roles.grant,
        (
            _MEMBER,
            Option(
                "role",
                K.CHOICE,
                N_("The role to grant"),
                N_("Role"),
                choices=("coordinator",),
                required=True,
                example="coordinator",
            ),
        ),
        role=Role.ADMIN,
    ),
    Command(
        ("role", "revoke"),
        N_("Remove a member's coordinator role"),
        roles.revoke,
        (
            _MEMBER,
            Option(
                "role",
                K.CHOICE,
                N_("The role to remove"),
                N_("Role"),
                choices=("coordinator",),
                required=True,
                example="coordinator",
            ),
        ),
        role=Role.ADMIN,
    ),
    Command(
        ("role", "history"),
        N_("See who granted or removed roles, and when"),
        roles.history,
        (Option("member", K.MEMBER, N_("Only this member's changes"), N_("Member")),),
        role=Role.ADMIN,
    ),
    Command(("leave",), N_("Leave the coalition and delete your profile"), leaving.leave),
    Command(("export",), N_("Get all data held about you, as a JSON file"), leaving.export),
    Command(
        ("link",),
        N_("Link your account on another platform to your profile"),
        linking.link,
        (
            Option(
                "code",
                K.TEXT,
                N_("The code you got on your other account"),
                N_("Code"),
                max_length=20,
            ),
        ),
        role=Role.GUEST,
    ),
)

ACTIONS = (
    Action("join.approve", approval.approve, Role.COORDINATOR),
    Action("join.decline", approval.decline, Role.COORDINATOR),
    Action("leave.confirm", leaving.confirm, Role.MEMBER),
    Action("leave.cancel", leaving.cancel, Role.MEMBER),
)
