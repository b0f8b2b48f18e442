"""Turn marginal coverage into concrete, seeded plans that are right on average.

* :func:`systematic_counts` — comb (systematic) sampling after a random shuffle: integer
  counts with ``E[count_i] = expected_i``, each count the floor or ceiling of its
  expectation, and the total the floor or ceiling of the expected total. The shuffle makes
  which targets are patrolled together unpredictable; the comb keeps the total fixed.
* :func:`sample_targets` — a set of targets to patrol from a coverage vector.
* :func:`dependent_round_bipartite` — Gandhi et al. (2006) dependent rounding on a
  bipartite graph: integer edge weights with the right expectations whose sum at each node
  stays within the floor/ceiling of its fractional sum. Used for mirrored pairs, where a
  U.S. unit and a Mexican unit must be drawn together without over-using either pool.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["dependent_round_bipartite", "sample_targets", "systematic_counts"]

_SNAP = 1e-9


def _rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def systematic_counts(
    expected: np.ndarray, *, seed: int | np.random.Generator | None = None
) -> np.ndarray:
    """Integer counts with the given expectations (see module docstring)."""
    expected = np.clip(np.asarray(expected, dtype=np.float64), 0.0, None)
    rng = _rng(seed)
    order = rng.permutation(expected.size)
    edges = np.concatenate([[0.0], np.cumsum(expected[order])])
    total = edges[-1]
    if abs(total - round(total)) < _SNAP:
        # Rounding in the cumulative sum must not buy an extra unit the pool does not have.
        edges[-1] = round(total)
    offset = rng.random()
    # Comb teeth sit at offset + k; an interval [a, b) holds ceil(b - u) - ceil(a - u) of them.
    teeth = np.ceil(edges - offset - _SNAP)
    counts = np.empty(expected.size, dtype=np.int64)
    counts[order] = np.diff(teeth).astype(np.int64)
    return counts


def sample_targets(
    coverage: np.ndarray, *, seed: int | np.random.Generator | None = None
) -> np.ndarray:
    """Indices of targets to patrol; target ``i`` is chosen with probability ``coverage[i]``."""
    coverage = np.asarray(coverage, dtype=np.float64)
    if np.any(coverage > 1 + _SNAP) or np.any(coverage < -_SNAP):
        raise ValueError("coverage must lie in [0, 1]")
    return np.flatnonzero(systematic_counts(np.clip(coverage, 0.0, 1.0), seed=seed) > 0)


def dependent_round_bipartite(
    edges: Sequence[tuple[object, object, float]],
    *,
    seed: int | np.random.Generator | None = None,
) -> np.ndarray:
    """Round edge weights ``(left, right, weight)`` to integers, preserving expectations.

    Left and right node labels live in separate namespaces. Returns one integer per edge.
    """
    rng = _rng(seed)
    weights = np.array([float(w) for _, _, w in edges])
    if np.any(weights < -_SNAP):
        raise ValueError("edge weights must be non-negative")
    weights = np.clip(weights, 0.0, None)
    base = np.floor(weights + _SNAP)
    frac = np.clip(weights - base, 0.0, 1.0)
    frac[frac < _SNAP] = 0.0
    nodes = [(("L", a), ("R", b)) for a, b, _ in edges]

    while True:
        live = [e for e in range(len(edges)) if 0.0 < frac[e] < 1.0]
        if not live:
            break
        incident: dict[object, list[int]] = {}
        for e in live:
            for node in nodes[e]:
                incident.setdefault(node, []).append(e)
        # Start from a leaf if there is one, so a walk that does not close a cycle is a
        # maximal path; otherwise every node has degree >= 2 and the walk closes a cycle.
        start = next((n for n, es in incident.items() if len(es) == 1), None)
        if start is None:
            start = nodes[live[0]][0]
        path: list[int] = []
        visited = {start: 0}
        node = start
        used: set[int] = set()
        while True:
            nxt = next((e for e in incident[node] if e not in used), None)
            if nxt is None:
                break
            used.add(nxt)
            path.append(nxt)
            a, b = nodes[nxt]
            node = b if a == node else a
            if node in visited:
                path = path[visited[node] :]  # keep just the cycle
                break
            visited[node] = len(path)
        odd = np.array(path[0::2])
        even = np.array(path[1::2], dtype=int)
        up = min(np.min(1.0 - frac[odd]), np.min(frac[even]) if even.size else np.inf)
        down = min(np.min(frac[odd]), np.min(1.0 - frac[even]) if even.size else np.inf)
        if rng.random() < down / (up + down):
            frac[odd] += up
            frac[even] -= up
        else:
            frac[odd] -= down
            frac[even] += down
        frac[np.abs(frac) < _SNAP] = 0.0
        frac[np.abs(frac - 1.0) < _SNAP] = 1.0
    return (base + np.round(frac)).astype(np.int64)
