"""Produce the bundled boundary copy from the shared IBWC line.

Usage (from the repository root):

    .venv/bin/python scripts/derive_boundary.py [--source PATH] [--output-dir DIR]

Defaults: source ../shared/data/boundary/us-mexico-boundary.geojson (relative to the
repository), output src/alianza/border/data/. Output is deterministic: re-running on the same
source rewrites identical files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
try:
    import alianza.border.derivation  # noqa: F401
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, str(REPO / "src"))

from alianza.border import derivation  # noqa: E402

DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "boundary" / "us-mexico-boundary.geojson"
DEFAULT_OUTPUT = REPO / "src" / "alianza" / "border" / "data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--tolerance-m",
        type=float,
        default=derivation.DEFAULT_TOLERANCE_M,
        help="Douglas-Peucker tolerance in metres (default %(default)s)",
    )
    parser.add_argument(
        "--sample-step-m",
        type=float,
        default=5.0,
        help="sampling step for the Hausdorff check (default %(default)s)",
    )
    args = parser.parse_args(argv)
    if not args.source.exists():
        parser.error(f"source not found: {args.source}")
    result = derivation.derive(
        source=args.source, tolerance_m=args.tolerance_m, sample_step_m=args.sample_step_m
    )
    geojson_path, source_path = derivation.write(result, output_dir=args.output_dir)
    size = geojson_path.stat().st_size
    print(
        f"source:        {args.source} ({result.source_point_count} points, "
        f"{result.source_length_m / 1000:.3f} km)"
    )
    print(
        f"derived:       {geojson_path} ({len(result.coords)} points, "
        f"{result.length_m / 1000:.3f} km, {size / 1024:.1f} KiB)"
    )
    print(
        f"max deviation: {result.max_deviation_m:.3f} m measured, "
        f"{result.deviation_bound_m:.3f} m analytic bound "
        f"(sampled every {result.sample_step_m:g} m; limit {derivation.MAX_DEVIATION_M:g} m)"
    )
    print(f"wrote:         {source_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
