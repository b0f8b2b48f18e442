"""Per-recipient fingerprints that survive copy-paste, e-mail and web forms (pure Python).

Each text field of an export is varied at "variation points": the words of a small bilingual
list of synonym pairs (`SYNONYMS`), every choice meaning-preserving. The choice at point i is
bit i of HMAC-SHA256(secret per-export key, label:i). For each point the record keeps two short
hashes of the three-word window around it (the word before, the point, the word after): as
sent, and as the other variant would read. A leaked text is read as words the same way; each
export scores +1 for every window of its own variant found and -1 for every window of the
other one.

Only words carry the fingerprint, and windows are compared as bare words (Unicode NFKC, case
folded, zero-width characters dropped; punctuation, quotes and whitespace ignored). So a copy
whose spaces were collapsed or doubled, whose lines were re-wrapped or joined, that was quoted
in an e-mail reply ("> " before each line) or whose quotes became typographic (or straight)
reads exactly as sent. Nothing that such a normalisation changes may carry a bit: an earlier
scheme also varied one or two spaces after punctuation, and collapsing whitespace turned every
two-space point into the one-space variant, false evidence against the true copy and for any
copy that had one space there, so the trace named the wrong recipient.

A text with fewer than `MIN_POINTS` variation points (a one-sentence report, a title) is too
short to carry a fingerprint: it cannot be traced by text.

Each export record names the scheme its probes were made with (`SCHEMES`, keyed by
`ExportRecord.fingerprint_version`): 2 is the one above, used for every new export; 1 is the
earlier scheme (raw-token windows, spacing varied), kept only so that the exports recorded
with it are still traced by text (see "Scheme 1" below).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

# Pairs of words a reader takes as the same; each word maps to its partner (lower case).
_PAIRS = [
    ("approximately", "roughly"),
    ("individuals", "persons"),
    ("observed", "spotted"),
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
    ("concealed", "hidden"),
    ("frequently", "often"),
    ("currently", "presently"),
    ("assisted", "helped"),
    ("therefore", "thus"),
    ("moreover", "furthermore"),
    ("obtained", "acquired"),
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
    ("oculto", "escondido"),
    ("oculta", "escondida"),
    ("ocultos", "escondidos"),
    ("ocultas", "escondidas"),
    ("indicó", "señaló"),
    ("inmediatamente", "enseguida"),
]
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\S+|\s+")
_WORD_CORE = re.compile(r"^([^\w]*)([\w]+)([^\w]*)$")
HASH_CHARS = 12
# Fewer points than this cannot tell copies apart: even when all of them match, some other
# copy matches them as well with a chance of 1 in 2**(MIN_POINTS - 1) or more.
MIN_POINTS = 4


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text.translate(_ZERO_WIDTH)).casefold()


SYNONYMS: dict[str, str] = {}
for _a, _b in _PAIRS:
    if " " not in _a and " " not in _b:
        SYNONYMS[_norm(_a)], SYNONYMS[_norm(_b)] = _norm(_b), _norm(_a)


def words(text: str) -> list[str]:
    """The words of `text` as the fingerprint reads them: whatever whitespace, line breaks,
    punctuation, quotes or quoting marks stand between them, and in whatever case."""
    return _WORD.findall(_norm(text))


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


def _point(token: str) -> tuple[str, str, str, str] | None:
    """(before, word, after, partner) when `token` is a whole word of a synonym pair, perhaps
    between punctuation or quotes (not part of a compound such as "large-scale")."""
    match = _WORD_CORE.match(token)
    if not match:
        return None
    before, core, after = match.groups()
    partner = SYNONYMS.get(_norm(core))
    if partner is None:
        return None
    return before, core, after, partner


@dataclass
class Varied:
    text: str
    bits: str
    probes: list[list[str]] = field(default_factory=list)


def vary(text: str, *, key: bytes, label: str) -> Varied:
    """`text` with each variation point set by the key; its bits and window probes."""
    tokens = _TOKEN.findall(text)
    read: list[str] = []  # the words of the varied text so far
    points: list[tuple[int, list[str], int]] = []  # (word index, [variant 0, 1], bit)
    for j, token in enumerate(tokens):
        if token.isspace():
            continue
        found = _point(token)
        if found is not None:
            before, core, after, partner = found
            bit = _bit(key, label, len(points))
            options = [token, before + _match_case(partner, core) + after]
            tokens[j] = options[bit]
            points.append((len(read), [_norm(core), partner], bit))
        read += words(tokens[j])
    probes = []
    for i, options, bit in points:
        if i == 0 or i + 1 >= len(read):
            continue  # a point at the very edge of a field has no stable window
        window = read[i - 1 : i + 2]
        other = [window[0], options[1 - bit], window[2]]
        probes.append([_probe(window), _probe(other)])
    return Varied("".join(tokens), "".join(str(b) for _, _, b in points), probes)


def points_in(text: str) -> int:
    """How many variation points a (leaked) text carries, as `vary` counts them: its first
    and last words have no window, so they do not count."""
    at: list[int] = []  # word index of each point
    read = 0
    for token in _TOKEN.findall(text):
        if _point(token) is not None:
            at.append(read)
        read += len(words(token))
    return sum(1 for i in at if 0 < i < read - 1)


def leaked_windows(text: str) -> set[str]:
    """The probe hashes of every three-word window of a leaked text."""
    read = words(text)
    return {_probe(read[i : i + 3]) for i in range(len(read) - 2)}


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


@dataclass(frozen=True)
class Leak:
    """A leaked text as one scheme reads it: its probe windows and how many variation points
    of that scheme it carries."""

    windows: set[str]
    points: int


def _read(text: str) -> Leak:
    return Leak(leaked_windows(text), points_in(text))


# --- Scheme 1 --------------------------------------------------------------------------------
# Exports recorded before scheme 2 (ExportRecord.fingerprint_version == 1) hold probes of the
# earlier scheme, ported here unchanged so that a leak of one is still traced by text: a point
# was one of the synonym words below (compared in lower case as written, "observed"/"seen"
# where scheme 2 has "observed"/"spotted", none of the pairs scheme 2 added) or the one or two
# spaces after a sentence end, comma, semicolon or colon; its window was three raw tokens
# (whitespace included: the word before, the space and the word; or the words on either side of
# the space). The tracer of scheme 1 read a leak's whitespace as it came, so a copy whose
# spaces were collapsed read every two-space point as the one-space variant (and hid the words
# after two spaces), false evidence that named the wrong recipient. Here the whitespace of every
# window reads as itself, as one space and as two: a spacing point's two variants are then both
# found (no evidence either way), and a word point is found whatever the spacing before it.
_ADDED_IN_2 = {
    ("observed", "spotted"),
    ("concealed", "hidden"),
    ("frequently", "often"),
    ("currently", "presently"),
    ("assisted", "helped"),
    ("therefore", "thus"),
    ("moreover", "furthermore"),
    ("obtained", "acquired"),
    ("oculto", "escondido"),
    ("oculta", "escondida"),
    ("ocultos", "escondidos"),
    ("ocultas", "escondidas"),
    ("indicó", "señaló"),
    ("inmediatamente", "enseguida"),
}
_V1_SYNONYMS: dict[str, str] = {}
for _a, _b in [("observed", "seen")] + [p for p in _PAIRS if p not in _ADDED_IN_2]:
    if " " not in _a and " " not in _b:
        _V1_SYNONYMS[_a], _V1_SYNONYMS[_b] = _b, _a
_V1_SPACE_AFTER = (".", "!", "?", ",", ";", ":")


def _v1_alternatives(tokens: list[str], j: int) -> list[str] | None:
    token = tokens[j]
    if token.isspace():
        if token in (" ", "  ") and j > 0 and tokens[j - 1].endswith(_V1_SPACE_AFTER):
            return [" ", "  "]
        return None
    match = _WORD_CORE.match(token)
    if not match:
        return None
    before, core, after = match.groups()
    partner = _V1_SYNONYMS.get(core.lower())
    if partner is None:
        return None
    return [token, before + _match_case(partner, core) + after]


def vary_v1(text: str, *, key: bytes, label: str) -> Varied:
    """`text` varied as scheme 1 varied it (no new export uses it; kept to show, and test,
    what the scheme-1 records hold)."""
    tokens = _TOKEN.findall(text)
    points: list[tuple[int, list[str], int]] = []
    for j in range(len(tokens)):
        options = _v1_alternatives(tokens, j)
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


def _read_v1(text: str) -> Leak:
    """Every window of a leaked text is three raw tokens, a word, whitespace and a word, as
    every scheme-1 probe is; its whitespace reads as itself, as one space and as two."""
    tokens = _TOKEN.findall(text.replace("\u200b", ""))
    windows: set[str] = set()
    points = 0
    for j in range(len(tokens)):
        if j + 2 < len(tokens) and tokens[j + 1].isspace() and not tokens[j].isspace():
            left, gap, right = tokens[j : j + 3]
            windows |= {_probe([left, ws, right]) for ws in (gap, " ", "  ")}
        if j >= 2 and not tokens[j].isspace() and _v1_alternatives(tokens, j) is not None:
            points += 1  # a word point with its window (the word before, the space, it)
    return Leak(windows, points)


@dataclass(frozen=True)
class Scheme:
    version: int
    vary: Callable[..., Varied]
    read: Callable[[str], Leak]


SCHEMES = {1: Scheme(1, vary_v1, _read_v1), 2: Scheme(2, vary, _read)}
CURRENT = 2  # the scheme of every new export
