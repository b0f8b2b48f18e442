"""Make `alianza` importable from src/ when the package is not installed (no Django needed)."""

import importlib.util
import sys
from pathlib import Path

if importlib.util.find_spec("alianza") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
