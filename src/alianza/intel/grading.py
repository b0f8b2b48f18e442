"""Source grading: the Admiralty / NATO 6x6 code and its mapping to Europol's 4x4 (pure Python).

Admiralty / NATO (STANAG 2511, AJP-2.1): source reliability A-F, information credibility 1-6.
Europol 4x4: source evaluation A, B, C, X and information evaluation 1, 2, 3, 4.

The mapping is conservative: a grade is never raised on the way out. Where an Admiralty grade
sits between two Europol grades, it takes the lower one; where Europol has no grade as low as
the Admiralty one (improbable, doubtful), it takes Europol's lowest. An export shows both codes,
so the partner loses nothing. The table is documented in docs/intel.md (a test checks that the
table there and this function agree cell by cell).

Source (reliability -> source evaluation):
    A completely reliable          -> A  no doubt about authenticity, trustworthiness, competence
    B usually reliable             -> B  has in most instances proved reliable
    C fairly reliable              -> C  valid information in the past, but with doubts: it has
                                         not proved reliable in most instances, so not B
    D not usually reliable         -> C  has in most instances proved unreliable
    E unreliable                   -> C
    F reliability cannot be judged -> X  cannot be assessed
Information (credibility -> information evaluation):
    1 confirmed by other sources   -> 1  no doubt about its accuracy
    2 probably true                -> 2
    3 possibly true                -> 3
    4 doubtful                     -> 4  cannot be corroborated
    5 improbable                   -> 4
    6 truth cannot be judged       -> 4
"""

from __future__ import annotations

from dataclasses import dataclass

RELIABILITY_CODES = ("A", "B", "C", "D", "E", "F")
CREDIBILITY_CODES = ("1", "2", "3", "4", "5", "6")

SOURCE_TO_EUROPOL = {"A": "A", "B": "B", "C": "C", "D": "C", "E": "C", "F": "X"}
INFORMATION_TO_EUROPOL = {"1": "1", "2": "2", "3": "3", "4": "4", "5": "4", "6": "4"}


@dataclass(frozen=True)
class EuropolGrade:
    source: str
    information: str

    @property
    def code(self) -> str:
        return f"{self.source}{self.information}"

    def __str__(self) -> str:
        return self.code


def europol_grade(reliability: str, credibility: str) -> EuropolGrade:
    """Europol's 4x4 grade for an Admiralty reliability (A-F) and credibility (1-6).
    Raises ValueError naming the axis for anything else."""
    reliability, credibility = str(reliability).strip().upper(), str(credibility).strip()
    if reliability not in SOURCE_TO_EUROPOL:
        raise ValueError(f"source reliability must be one of A-F, not {reliability!r}")
    if credibility not in INFORMATION_TO_EUROPOL:
        raise ValueError(f"information credibility must be one of 1-6, not {credibility!r}")
    return EuropolGrade(SOURCE_TO_EUROPOL[reliability], INFORMATION_TO_EUROPOL[credibility])
