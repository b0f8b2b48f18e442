"""The copies of the published files bundled with the package (for `alianza demo`), and where
each came from. `scripts/derive_series.py` writes them from ../shared/data; the product never
reads ../shared at run time."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
CBP_URL = "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics"
USBP_URL = "https://github.com/jacobkap/borderpatrol (U.S. Border Patrol statistics, MIT)"
ARIZONA_AREAS = ("TUCSON FIELD OFFICE", "TUCSON SECTOR", "YUMA SECTOR")
SOUTHWEST = (
    "big bend",
    "del rio",
    "el centro",
    "el paso",
    "laredo",
    "rio grande valley",
    "san diego",
    "tucson",
    "yuma",
    "southwest border",
)


@dataclass(frozen=True)
class Bundled:
    name: str  # file name in DATA_DIR
    source: str  # path under ../shared/data
    kind: str
    source_url: str
    keep_column: str = ""  # rows kept where this column is one of `keep`; "" = whole file
    keep: tuple[str, ...] = ()

    @property
    def description(self) -> str:
        origin = f"Copied from {self.source}"
        if self.keep_column:
            origin += f": the rows whose {self.keep_column} is {', '.join(self.keep)}"
        return origin + " (scripts/derive_series.py), as published."


BUNDLED = (
    Bundled(
        "cbp-drugs-arizona-fy19-fy22.csv",
        "cbp/nationwide-drugs-fy19-fy22.csv",
        "cbp-drugs",
        CBP_URL,
        "Area of Responsibility",
        ARIZONA_AREAS,
    ),
    Bundled(
        "cbp-drugs-arizona-fy23-fy26-dec.csv",
        "cbp/nationwide-drugs-fy23-fy26-dec.csv",
        "cbp-drugs",
        CBP_URL,
        "Area of Responsibility",
        ARIZONA_AREAS,
    ),
    Bundled(
        "usbp-monthly-southwest-2000-2019.csv",
        "usbp/family_child_total_monthly_2000_2019.csv",
        "usbp-apprehensions",
        USBP_URL,
        "sector",
        SOUTHWEST,
    ),
    Bundled(
        "southwest_border_apprehensions_1960_2019.csv",
        "usbp/southwest_border_apprehensions_1960_2019.csv",
        "usbp-apprehensions-annual",
        USBP_URL,
    ),
    Bundled(
        "sector_profile_2011_2019.csv",
        "usbp/sector_profile_2011_2019.csv",
        "usbp-sector-profile",
        USBP_URL,
    ),
    Bundled(
        "apprehensions_seizures_stats_2011_2019.csv",
        "usbp/apprehensions_seizures_stats_2011_2019.csv",
        "usbp-region-stats",
        USBP_URL,
    ),
    Bundled(
        "border_patrol_staffing_1992_2019.csv",
        "usbp/border_patrol_staffing_1992_2019.csv",
        "usbp-staffing",
        USBP_URL,
    ),
)
