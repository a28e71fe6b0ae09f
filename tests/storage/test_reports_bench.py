"""`python -m bench reports --quick` runs: the benchmark's seeding and its own checks of the
report's totals (every RSVP and answer counted) keep working as the schema changes."""

from __future__ import annotations

import asyncio

import pytest

from bench import reports


async def test_the_quick_benchmark_runs_and_counts_every_row(
    capsys: pytest.CaptureFixture[str],
) -> None:
    await asyncio.to_thread(reports.main, ["--quick", "--sqlite-only", "--samples", "1"])
    said = capsys.readouterr().out
    assert "seeded 10 sessions, 400 RSVPs" in said
    assert "report build (build_report)" in said and "render html with charts" in said
