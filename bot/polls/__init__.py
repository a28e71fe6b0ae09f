"""Polls: a question with buttons, counted per member, anonymous when chosen."""
