"""Produce the bundled copies of the published statistics from ../shared/data.

Usage (from the repository root):

    .venv/bin/python scripts/derive_series.py [--source-dir DIR] [--output-dir DIR]

Defaults: source ../shared/data (relative to the repository), output
src/alianza/series/data/. Rows are copied byte for byte (header included), whole files or only
the rows the demo needs (Arizona's CBP areas, the southwest border's Border Patrol sectors);
SOURCE.md names the origin, size and SHA-256 of each. Re-running rewrites identical files.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
try:
    import alianza.series.bundled  # noqa: F401
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, str(REPO / "src"))

from alianza.series.bundled import BUNDLED, Bundled  # noqa: E402

DEFAULT_SOURCE = REPO.parent / "shared" / "data"
DEFAULT_OUTPUT = REPO / "src" / "alianza" / "series" / "data"


def derive(item: Bundled, source: bytes) -> bytes:
    if not item.keep_column:
        return source
    lines = source.decode("utf-8-sig").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    column = header.index(item.keep_column)
    kept = [lines[0]]
    for line in lines[1:]:
        cells = next(csv.reader([line]), [])
        if len(cells) > column and cells[column].strip() in item.keep:
            kept.append(line)
    return "".join(kept).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    notes = [
        "# Bundled published statistics\n\n",
        "Written by `scripts/derive_series.py` from the workspace's `../shared/data` (see its\n",
        "README.md); loaded by `alianza demo` (src/alianza/demo/loaders/series.py). Rows are\n",
        "copied byte for byte, as published.\n\n",
        "| file | derived from | rows kept | publisher | bytes | SHA-256 |\n",
        "|---|---|---|---|---|---|\n",
    ]
    for item in BUNDLED:
        source_path = args.source_dir / item.source
        if not source_path.exists():
            parser.error(f"source not found: {source_path}")
        data = derive(item, source_path.read_bytes())
        target = args.output_dir / item.name
        target.write_bytes(data)
        kept = f"{item.keep_column} in {', '.join(item.keep)}" if item.keep_column else "all"
        digest = hashlib.sha256(data).hexdigest()
        notes.append(
            f"| `{item.name}` | `{item.source}` | {kept} | {item.source_url} | "
            f"{len(data)} | `{digest[:16]}…` |\n"
        )
        print(
            f"{target.relative_to(REPO) if target.is_relative_to(REPO) else target}: "
            f"{len(data) / 1024:.1f} KiB"
        )
    notes.append(
        "\nCBP drug seizure statistics: U.S. Customs and Border Protection (cbp.gov), as "
        "collected in the ntimbs/CNX_Mapping_Project repository; US government work.\n"
        "Border Patrol tables: U.S. Border Patrol statistics, cleaned by jacobkap/borderpatrol "
        "(MIT).\n"
    )
    (args.output_dir / "SOURCE.md").write_text("".join(notes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
