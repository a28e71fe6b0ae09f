"""Small helpers shared by the benchmarks: timing, percentiles, memory."""

from __future__ import annotations

import gc
import os
import resource
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(samples_ms: list[float]) -> str:
    return (
        f"p50 {percentile(samples_ms, 0.50):7.2f} ms   p99 {percentile(samples_ms, 0.99):7.2f} ms"
        f"   mean {statistics.fmean(samples_ms):7.2f} ms   n={len(samples_ms)}"
    )


async def timed(work: Callable[[], Awaitable[object]]) -> float:
    """Milliseconds one call took."""
    started = time.perf_counter()
    await work()
    return (time.perf_counter() - started) * 1000


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / 1024 if sys.platform != "darwin" else peak / (1024 * 1024)


def process_cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used, all its threads (Linux, in clock ticks)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()  # after the command's name
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Keep this process's garbage collector still while it measures another one.

    The process playing Slack or Discord makes garbage of its own; a full collection
    here (tens of ms) would show as a slow answer from the app under test.
    """
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
