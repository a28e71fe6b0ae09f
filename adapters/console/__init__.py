"""The terminal adapter: try the bot without any tokens, or script it from stdin."""
