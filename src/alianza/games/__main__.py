"""Command line: ``python -m alianza.games solve GAME.json``.

Bad input exits with status 2 and a one-line message on stderr (never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys

from .core import solve_sse
from .io import GameInputError, equilibrium_to_json, game_from_json


def _load(path: str) -> object:
    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise GameInputError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GameInputError(f"{path} is not valid JSON: {exc}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m alianza.games",
        description="Stackelberg security game solvers for patrol allocation.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    solve = commands.add_parser(
        "solve", help="strong Stackelberg equilibrium of a single-attacker-type game"
    )
    solve.add_argument("game", help="game JSON file ('-' for stdin)")
    solve.add_argument("--indent", type=int, default=2, help="JSON indentation (default 2)")
    args = parser.parse_args(argv)

    try:
        game = game_from_json(_load(args.game))
        result = equilibrium_to_json(game, solve_sse(game))
    except (GameInputError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=args.indent if args.indent > 0 else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
