"""`python -m bench polls --quick` runs end to end and shows the pace of the post's edits."""

from __future__ import annotations

import re

import pytest

from bench.polls import main, most_in_a_second


def test_the_polls_benchmark_runs_and_keeps_one_edit_per_second(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["--quick"])
    out = capsys.readouterr().out
    assert re.search(r"ours\s+100 ", out) and re.search(r"bare\s+100 ", out), out
    assert "most in any 1 s: 1," in out, out
    shown = re.search(r"the last shows (\d+) voters of (\d+) votes taken", out)
    assert shown is not None and shown.group(1) == shown.group(2), out


def test_most_in_a_second_counts_a_sliding_window() -> None:
    assert most_in_a_second([]) == 0
    assert most_in_a_second([0.0, 1.0, 2.0]) == 1
    assert most_in_a_second([0.0, 0.5, 0.99, 1.2]) == 3
