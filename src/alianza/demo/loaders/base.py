"""What every demo loader receives: a seeded random generator and a progress reporter."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")

# Printed by `alianza demo` and shown in the README: demo data only, never production.
DEMO_PASSWORD = "Nogales-Sonora-2026"  # noqa: S105


@dataclass
class DemoContext:
    seed: int = 2026
    quiet: bool = False
    scale: float = 1.0
    rng: random.Random = field(init=False)
    state: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def progress(
        self, items: Iterable[T], *, description: str, total: int | None = None
    ) -> Iterator[T]:
        return iter(
            tqdm(
                items,
                desc=description,
                total=total,
                disable=self.quiet,
                unit="",
                leave=True,
                ncols=90,
            )
        )

    def say(self, text: str) -> None:
        if not self.quiet:
            tqdm.write(text)
