"""Meetings and reminders: scheduling, recurrence, RSVPs, calendar files, reminders."""
