"""`python -m bench NAME [options]`: run one benchmark, or `all`."""

from __future__ import annotations

import importlib
import sys

# name -> module with a `main(argv)`; each platform or capability adds its line.
BENCHMARKS = {
    "membership": "bench.membership",
    "meetings": "bench.meetings",
    "resources": "bench.resources",
    "discussions": "bench.discussions",
    "slack": "bench.slack",
    "discord": "bench.discord",
    "fanout": "bench.fanout",
    "web": "bench.web",
    "dashboard": "bench.dashboard",
    "roster": "bench.roster",
    "polls": "bench.polls",
    "matching": "bench.matching",
    "reports": "bench.reports",
}


def main() -> None:
    name, *rest = sys.argv[1:] or ["--help"]
    if name == "all":
        for module in BENCHMARKS.values():
            importlib.import_module(module).main([])
        return
    if name not in BENCHMARKS:
        print(f"usage: python -m bench {{{'|'.join([*BENCHMARKS, 'all'])}}} [options]")
        raise SystemExit(0 if name in {"--help", "-h"} else 2)
    importlib.import_module(BENCHMARKS[name]).main(rest)


if __name__ == "__main__":
    main()
