"""`python -m bench polls --quick` runs end to end and shows the pace of the post's edits."""

from __future__ import annotations

import re

import pytest

from bench.polls import main, most_in_a_second


def test_the_polls_benchmark_runs_and_keeps_one_edit_per_second(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["--quick"])  # SQLite, then PostgreSQL where the tests have it
    out = capsys.readouterr().out
    runs = out.split("polls benchmark:")[1:]
    assert runs and ("PostgreSQL" in runs[-1] or "PostgreSQL skipped" in out), out
    for run in runs:
        assert re.search(r"ours\s+100 ", run) and re.search(r"bare\s+100 ", run), run
        assert "most in any 1 s: 1," in run, run
        assert "clicks refused: 0" in run, run
        shown = re.search(r"the last shows (\d+) voters of (\d+) votes taken", run)
        assert shown is not None and shown.group(1) == shown.group(2) == "101", run


def test_most_in_a_second_counts_a_sliding_window() -> None:
    assert most_in_a_second([]) == 0
    assert most_in_a_second([0.0, 1.0, 2.0]) == 1
    assert most_in_a_second([0.0, 0.5, 0.99, 1.2]) == 3
