"""Stackelberg security games for patrol allocation (pure Python, no Django).

Single attacker type: :func:`solve_sse` (exact, O(n log n)). Several smuggler types and
normal-form games: :mod:`.bayesian` (MILP with HiGHS). Noisy smugglers: :mod:`.quantal`.
Patrol schedules and mirrored binational pairs: :mod:`.schedules`. Turning coverage into
concrete plans: :mod:`.sampling`.
"""

from .core import (
    Equilibrium,
    ExactEquilibrium,
    SecurityGame,
    attacker_best_response,
    solve_sse,
    solve_sse_exact,
)

__all__ = [
    "Equilibrium",
    "ExactEquilibrium",
    "SecurityGame",
    "attacker_best_response",
    "solve_sse",
    "solve_sse_exact",
]
