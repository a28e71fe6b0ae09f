"""Discord's size limits, in one place.

Discord rejects a whole message, modal or command sync when one part is over a
limit, so every renderer here cuts its output to these numbers itself.
https://discord.com/developers/docs/resources/message#embed-object-embed-limits
"""

from __future__ import annotations

# Messages
CONTENT = 2000
EMBEDS_PER_MESSAGE = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
EMBEDS_TOTAL = 6000  # title, description, field names and values, footer: all embeds of a message
# Components
BUTTONS_PER_ROW = 5
ROWS = 5
BUTTONS = BUTTONS_PER_ROW * ROWS
BUTTON_LABEL = 80
CUSTOM_ID = 100
# Modals
MODAL_TITLE = 45
MODAL_ITEMS = 5
LABEL_TEXT = 45
LABEL_DESCRIPTION = 100
TEXT_INPUT = 4000
SELECT_OPTIONS = 25
OPTION_LABEL = 100
OPTION_VALUE = 100
# Application commands
DESCRIPTION = 100
CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
STRING_OPTION = 6000
# Names, descriptions and choice values of one command with all its options, each field
# counted at its longest localization (adapters/discord/commands.py: command_size).
COMMAND_SIZE = 8000

# Ours, not Discord's: one reply or post never becomes more than this many messages;
# past it, the last one ends with the "shortened" marker.
MESSAGES_PER_REPLY = 10
ELLIPSIS = "…"
