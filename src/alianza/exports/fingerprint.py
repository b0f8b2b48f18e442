"""Per-recipient fingerprints that survive copy-paste (pure Python, no Django).

Each text field of an export is varied at "variation points", every choice meaning-preserving:
- one or two spaces after the end of a sentence, a comma, a semicolon or a colon;
- one of two synonymous words from a small bilingual list (`SYNONYMS`).
The choice at point i is bit i of HMAC-SHA256(secret per-export key, label:i). For each point
the record keeps two short hashes of the 3-token window around it: as sent, and as the other
variant would read. A leaked text is cut into the same windows; each export scores +1 for every
window of its own variant found and -1 for every window of the other one.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from dataclasses import dataclass, field

# Pairs of words a reader takes as the same; each word maps to its partner (lower case).
_PAIRS = [
    ("approximately", "roughly"),
    ("individuals", "persons"),
    ("observed", "seen"),
    ("located", "situated"),
    ("subsequently", "later"),
    ("vehicle", "car"),
    ("vehicles", "cars"),
    ("stated", "said"),
    ("large", "big"),
    ("purchased", "bought"),
    ("quickly", "rapidly"),
    ("several", "various"),
    ("begin", "start"),
    ("began", "started"),
    ("however", "nevertheless"),
    ("also", "additionally"),
    ("aproximadamente", "alrededor"),
    ("individuos", "sujetos"),
    ("vehículo", "automóvil"),
    ("vehículos", "automóviles"),
    ("camioneta", "furgoneta"),
    ("ubicado", "situado"),
    ("ubicada", "situada"),
    ("posteriormente", "después"),
    ("declaró", "afirmó"),
    ("observó", "vio"),
    ("observaron", "vieron"),
    ("comenzó", "empezó"),
    ("rápidamente", "velozmente"),
    ("varios", "diversos"),
    ("varias", "diversas"),
    ("sin embargo", "no obstante"),
    ("también", "asimismo"),
]
SYNONYMS: dict[str, str] = {}
for _a, _b in _PAIRS:
    if " " not in _a and " " not in _b:
        SYNONYMS[_a], SYNONYMS[_b] = _b, _a

_TOKEN = re.compile(r"\S+|\s+")
_WORD_CORE = re.compile(r"^([^\w]*)([\w]+)([^\w]*)$", re.UNICODE)
_SPACE_AFTER = (".", "!", "?", ",", ";", ":")
HASH_CHARS = 12


def _bit(key: bytes, label: str, index: int) -> int:
    return hmac.new(key, f"{label}:{index}".encode(), hashlib.sha256).digest()[0] & 1


def _probe(window: list[str]) -> str:
    return hashlib.sha256("\x1f".join(window).encode()).hexdigest()[:HASH_CHARS]


def _match_case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _alternatives(tokens: list[str], j: int) -> list[str] | None:
    token = tokens[j]
    if token.isspace():
        if token in (" ", "  ") and j > 0 and tokens[j - 1].endswith(_SPACE_AFTER):
            return [" ", "  "]
        return None
    match = _WORD_CORE.match(token)
    if not match:
        return None
    before, core, after = match.groups()
    partner = SYNONYMS.get(core.lower())
    if partner is None:
        return None
    return [token, before + _match_case(partner, core) + after]


@dataclass
class Varied:
    text: str
    bits: str
    probes: list[list[str]] = field(default_factory=list)


def vary(text: str, *, key: bytes, label: str) -> Varied:
    """`text` with each variation point set by the key; its bits and window probes."""
    tokens = _TOKEN.findall(text)
    points: list[tuple[int, list[str], int]] = []
    for j in range(len(tokens)):
        options = _alternatives(tokens, j)
        if options is None:
            continue
        bit = _bit(key, label, len(points))
        tokens[j] = options[bit]
        points.append((j, options, bit))
    probes = []
    for j, options, bit in points:
        lo = j - 1 if tokens[j].isspace() else j - 2
        if lo < 0 or j + (1 if tokens[j].isspace() else 0) >= len(tokens):
            continue  # a point at the very edge of a field has no stable window
        hi = j + 2 if tokens[j].isspace() else j + 1
        window = tokens[lo:hi]
        other = list(window)
        other[j - lo] = options[1 - bit]
        probes.append([_probe(window), _probe(other)])
    return Varied("".join(tokens), "".join(str(b) for _, _, b in points), probes)


def leaked_windows(text: str) -> set[str]:
    """The probe hashes of every 3-token window of a leaked text. Line breaks and tabs read
    as a separator no probe uses, so a point at a line wrap counts for nobody."""
    text = text.replace("\r\n", "\n").replace("\u200b", "")
    tokens = [
        t if not t.isspace() or ("\n" not in t and "\t" not in t) else "\n"
        for t in _TOKEN.findall(text)
    ]
    return {_probe(tokens[i : i + 3]) for i in range(len(tokens) - 2)}


@dataclass(frozen=True)
class Score:
    key: object
    matched: int
    contradicted: int

    @property
    def observed(self) -> int:
        return self.matched + self.contradicted

    @property
    def value(self) -> int:
        return self.matched - self.contradicted


def score(probes: list[list[str]], windows: set[str], *, key=None) -> Score:
    matched = contradicted = 0
    for actual, other in probes:
        has_actual, has_other = actual in windows, other in windows
        if has_actual and not has_other:
            matched += 1
        elif has_other and not has_actual:
            contradicted += 1
    return Score(key, matched, contradicted)


def chance_of_at_least(matched: int, observed: int) -> float:
    """P(a copy with unrelated bits agrees on at least `matched` of `observed` points)."""
    if observed == 0:
        return 1.0
    tail = sum(math.comb(observed, k) for k in range(matched, observed + 1))
    return tail / 2**observed


def confidence(best: Score, runner_up: Score | None, candidates: int) -> float:
    """1 - the chance that some other copy would do as well, allowing for every candidate;
    0 when the runner-up scores the same (the text cannot tell them apart)."""
    if best.observed == 0 or best.value <= 0:
        return 0.0
    if runner_up is not None and runner_up.value >= best.value:
        return 0.0
    p = chance_of_at_least(best.matched, best.observed) * max(1, candidates - 1)
    return round(max(0.0, 1.0 - p), 4)
