"""A member whose Discord locale the bot has no catalog for (or Babel does not know) is
answered in the coalition's language, as on Slack."""

from __future__ import annotations

from bot.config import CoalitionSettings, Config
from storage import Storage
from tests.adapters.discord.conftest import WAIT, buttons_of, running_bot, text_of
from tests.adapters.discord.test_forms import PAGE_ONE
from tests.adapters.discord.test_membership import button
from tests.fakes.discord import FakeDiscord


async def test_an_unknown_locale_gets_the_coalitions_language(
    fake: FakeDiscord, sqlite: Storage
) -> None:
    spanish = Config(coalition=CoalitionSettings(language="es"))
    async with running_bot(fake, sqlite, spanish) as bot:
        opened = await bot.command("join", user="carol", locale="xx-YY")
        assert opened.data is not None and opened.data["title"] == "Unirse a la coalición (1/2)"
        submitted = fake.modal_submit(
            opened.data["custom_id"], PAGE_ONE, user="carol", labels=True, locale="xx-YY"
        )
        step = await fake.interact(submitted, WAIT)
        assert step.message is not None
        # The step between the form's pages is the adapter's own sentence: Spanish too.
        assert "Se guardó el paso 1 de 2" in text_of(step.data)
        assert next(b["label"] for b in buttons_of(step.data)) == "Continuar"
        click = fake.component_click(
            button(step.data, ":open:")["custom_id"], step.message, user="carol", locale="xx-YY"
        )
        second = await fake.interact(click, WAIT)
        assert second.data is not None
        fields = {
            c["component"]["custom_id"]: c for c in second.data["components"] if "component" in c
        }
        assert [o["label"] for o in fields["language"]["component"]["options"]] == [
            "English (en)",
            "Español (es)",
        ]
