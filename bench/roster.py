"""Importing a 10,000-row roster: time and peak memory of `coalition-bot members import`.

Writes a Windows-1252 CSV (as Excel does) of `--rows` people with accented names,
then runs the command as an operator would, in this process, on a fresh SQLite
file: the first import (every row new), a dry run, and a re-import (every row
unchanged). Peak RSS is this process's, before and after.

    python -m bench roster [--rows 10000]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import tempfile
import time
from pathlib import Path

from adapters.cli import main as cli
from bench.stats import peak_rss_mib
from bot.config import Config


def write_roster(path: Path, rows: int) -> None:
    lists = Config().lists
    rng = random.Random(7)
    lines = ["Full Name,Email,Agency,Discipline,Region,Jurisdiction"]
    for n in range(rows):
        discipline, region = rng.choice(lists.disciplines), rng.choice(lists.regions)
        lines.append(
            f"José Muñoz {n:05d},person{n}@example.org,County Health {n % 400},"
            f'"{discipline}",{region},Condado {n % 50}'
        )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def run(argv: list[str]) -> tuple[int, float]:
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        status = cli(argv)
    return status, time.perf_counter() - started


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench roster")
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        roster = Path(folder) / "roster.csv"
        write_roster(roster, args.rows)
        os.environ["COALITION_DATABASE_URL"] = f"sqlite+aiosqlite:///{Path(folder) / 'b.db'}"
        os.environ.pop("COALITION_CONFIG", None)
        before = peak_rss_mib()
        print(f"roster import, {args.rows} rows, SQLite (peak RSS before: {before:.0f} MiB)")
        for label, extra in (("first import", []), ("dry run", ["--dry-run"]), ("re-import", [])):
            status, seconds = run(["members", "import", str(roster), *extra])
            assert status == 0, label
            print(f"  {label:<13} {seconds:6.2f} s   peak RSS {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main([])
