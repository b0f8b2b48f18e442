"""Throughput of the boundary locator: `.venv/bin/python benchmarks/border_locate.py [N]`."""

import sys
import time
from pathlib import Path

import numpy as np

try:
    import alianza.border  # noqa: F401
except ImportError:  # package not installed: use the checkout's src/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from alianza.border import geometry, locating, segmenting  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    t0 = time.perf_counter()
    segmentation = segmenting.segment_line(geometry.load_line())
    t1 = time.perf_counter()
    locator = locating.Locator(segmentation)
    t2 = time.perf_counter()
    rng = np.random.default_rng(1)
    line = geometry.load_line()
    idx = rng.integers(0, line.point_count, n)
    lons = line.coords[idx, 0] + rng.normal(0, 0.1, n)
    lats = line.coords[idx, 1] + rng.normal(0, 0.1, n)
    t3 = time.perf_counter()
    result = locator.locate_many(lons, lats, reject_far=False)
    t4 = time.perf_counter()
    print(f"segment_line: {t1 - t0:.2f} s ({len(segmentation.segments)} segments)")
    print(f"Locator():    {t2 - t1:.2f} s ({len(segmentation.coords) - 1} edges)")
    print(
        f"locate_many:  {t4 - t3:.2f} s for {n} points ({n / (t4 - t3):,.0f} points/s); "
        f"{result.is_us.mean():.0%} US"
    )


if __name__ == "__main__":
    main()
