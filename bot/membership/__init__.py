"""Membership: joining, profiles, the directory, roles, leaving and linked accounts."""
