"""The real published series (CBP drug seizures for Arizona, Border Patrol tables) from the
copies bundled in alianza/series/data (see its SOURCE.md). A file already imported with the
same content is skipped, so a second run changes nothing."""

from __future__ import annotations

import hashlib

from alianza.series.bundled import BUNDLED, DATA_DIR
from alianza.series.models import AggregateSeries
from alianza.series.services import series_import

from .base import DemoContext


def load(ctx: DemoContext) -> None:
    for item in ctx.progress(BUNDLED, description="published series"):
        data = (DATA_DIR / item.name).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if AggregateSeries.objects.filter(source_file=item.name, source_sha256=digest).exists():
            continue
        result = series_import(
            actor=None,
            data=data,
            source_file=item.name,
            kind=item.kind,
            source_url=item.source_url,
            description=item.description,
        )
        if result.errors:
            raise RuntimeError(f"bundled {item.name}: {result.errors[0]}")
