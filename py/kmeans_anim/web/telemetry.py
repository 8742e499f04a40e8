"""What the animator measures for the benchmarks (benchmarks/bench_page.py, bench_many.py) and
the tests: how many play loops run at once, and per run the time of each paint and of each piece
of computing. Read through the snapshot (window.kmeans.snapshot()); nothing on screen uses it.
No browser import: the times (ms, from performance.now()) are handed in by web.animator.
"""

from __future__ import annotations

from collections import deque

FRAME_LOG = 2000  # entries kept per log (of the current run)


class Telemetry:
    """Benchmark numbers of the animator. Times in ms."""

    def __init__(self) -> None:
        self.loops_running = 0
        self.max_loops_running = 0    # the most play loops ever running at once (1 is right)
        self.frame_ms: deque[float] = deque(maxlen=FRAME_LOG)    # per painted frame: draw ms
        self.compute_ms: deque[float] = deque(maxlen=FRAME_LOG)  # per piece of computing
        # per painted frame: (start in ms since page load, draw ms, half-step index, its kind,
        # 1 if the centroids glide) and per computed iteration its total ms: bench_many.py
        self.paint_log: deque[tuple] = deque(maxlen=FRAME_LOG)
        self.iteration_ms: deque[float] = deque(maxlen=FRAME_LOG)
        self._iteration_ms = 0.0      # the pieces of the iteration being computed, so far

    def loop_started(self) -> None:
        self.loops_running += 1
        self.max_loops_running = max(self.max_loops_running, self.loops_running)

    def loop_ended(self) -> None:
        self.loops_running -= 1

    def new_run(self) -> None:
        """The logs are per run: a new run on screen starts them empty."""
        self.frame_ms.clear()
        self.compute_ms.clear()
        self.paint_log.clear()
        self.iteration_ms.clear()
        self._iteration_ms = 0.0

    def painted(self, start: float, took: float, step_index: int, kind: str, moving: bool) -> None:
        self.frame_ms.append(took)
        self.paint_log.append((round(start, 2), round(took, 2), step_index, kind, int(moving)))

    def computed(self, took: float, iteration_done: bool) -> None:
        """A piece of computing took `took` ms; `iteration_done`: it ended an iteration."""
        self.compute_ms.append(took)
        self._iteration_ms += took
        if iteration_done:
            self.iteration_ms.append(self._iteration_ms)
            self._iteration_ms = 0.0

    def snapshot_fields(self) -> dict:
        """The snapshot's benchmark fields (words.snapshot.build's extra keywords)."""
        return {
            "max_concurrent_loops": self.max_loops_running,
            "frame_ms": [round(x, 2) for x in self.frame_ms],
            "compute_ms": [round(x, 2) for x in self.compute_ms],
            "paint_log": [list(entry) for entry in self.paint_log],
            "iteration_ms": [round(x, 2) for x in self.iteration_ms],
        }
