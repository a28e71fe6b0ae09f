"""Benchmarks: `python -m bench NAME` prints figures to compare run to run.

They are not tests and assert nothing about speed; machines are noisy.
"""
