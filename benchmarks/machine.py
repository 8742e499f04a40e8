"""What the benchmark scripts print about the machine they ran on (no third-party imports)."""

from __future__ import annotations

import os
import platform


def cpu_name() -> str:
    """The CPU model from /proc/cpuinfo, else what `platform` knows."""
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f
                        if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def cpu_line() -> str:
    """'machine: <cpu>; N logical CPUs, M usable; load average a b c'."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = (" ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg")
            else "n/a")
    return (f"machine: {cpu_name()}; {os.cpu_count()} logical CPUs, {usable} usable; "
            f"load average {load}")
