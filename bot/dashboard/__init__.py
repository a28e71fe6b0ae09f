"""The coordinators' dashboard: one-time sign-in links asked for in chat."""
