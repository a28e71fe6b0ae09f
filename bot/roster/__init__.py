"""Onboarding from a roster: invitations imported from the coalition's spreadsheet."""
