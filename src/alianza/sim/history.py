"""What the defender can see of the past: its own coverage and the events it detected."""

from __future__ import annotations

import numpy as np


class History:
    """Rolling record of defender-observed events per segment x slot.

    Only detected attempts (apprehensions, turn-backs and seen got-aways) are recorded:
    a strategy must not learn from crossings nobody saw.
    """

    def __init__(self, *, n_segments: int, n_slots: int, window: int = 28) -> None:
        self.n_segments = n_segments
        self.n_slots = n_slots
        self.window = window
        self.day = 0  # number of completed days
        self._events = np.zeros((window, n_segments, n_slots), dtype=np.float32)
        self.last_coverage: np.ndarray | None = None
        self.total_events = np.zeros((n_segments, n_slots))

    def record(self, *, events: np.ndarray, coverage: np.ndarray) -> None:
        self._events[self.day % self.window] = events
        self.total_events += events
        self.last_coverage = coverage
        self.day += 1

    def recent_events(self, *, days: int = 7) -> np.ndarray:
        """(S, T) detected events summed over the last `days` completed days."""
        days = min(days, self.window, self.day)
        if days <= 0:
            return np.zeros((self.n_segments, self.n_slots))
        idx = [(self.day - 1 - k) % self.window for k in range(days)]
        return self._events[idx].sum(axis=0, dtype=np.float64)
