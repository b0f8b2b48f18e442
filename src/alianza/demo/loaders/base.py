"""What every demo loader receives: one "now", a seeded random generator and a progress reporter.

Every date in the demo is placed relative to `ctx.now` (aware, UTC) or `ctx.today` (its date in
the display time zone, ALIANZA_DISPLAY_TIME_ZONE), so the demo reads as current on any day it is
loaded, and a test can freeze the clock at any date.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.utils import timezone
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
    now: dt.datetime = field(default_factory=timezone.now)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        if timezone.is_naive(self.now):
            raise ValueError("DemoContext.now must be timezone-aware")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The display time zone: local days, shifts and "today" are cut in it."""
        return zoneinfo.ZoneInfo(settings.ALIANZA_DISPLAY_TIME_ZONE)

    @property
    def today(self) -> dt.date:
        """The local date of `now` in the display time zone."""
        return timezone.localdate(self.now, timezone=self.zone)

    def local(self, day: dt.date, time: dt.time) -> dt.datetime:
        """An aware datetime at a local wall-clock `time` on `day` (display time zone)."""
        return dt.datetime.combine(day, time, tzinfo=self.zone)

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
