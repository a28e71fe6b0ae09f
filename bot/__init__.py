"""The coalition's rules: platform-neutral domain, use cases and command catalogue.

Nothing in this package may import a chat platform, SQL or scheduler library;
tests/core/test_boundaries.py enforces it.
"""
