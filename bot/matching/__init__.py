"""Peer matching: opt-in rounds that introduce members to each other."""
