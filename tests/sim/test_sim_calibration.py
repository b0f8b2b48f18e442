"""The Nogales scenario against real FY2019 Tucson Sector magnitudes."""

import csv
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from alianza.sim import load_scenario, parse_strategy, simulate

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"real data folder {DATA} is absent (../shared/data)"
)


@pytest.fixture(scope="module")
def calib():
    return load_scenario("nogales").calibration


def _rows(name):
    with (DATA / name).open(newline="") as fh:
        return list(csv.DictReader(fh))


@needs_data
def test_calibration_numbers_match_the_usbp_sector_profile(calib):
    row = next(r for r in _rows("usbp/sector_profile_2011_2019.csv")
               if r["sector"] == "tucson" and r["fiscal_year"] == "2019")  # fmt: skip
    assert calib["apprehensions"] == int(row["total_apprehensions"])
    assert calib["agents"] == int(row["number_of_agents"])
    assert calib["marijuana_pounds"] == pytest.approx(float(row["marijuana_pounds"]))


@needs_data
def test_calibration_numbers_match_cbp_drug_seizures(calib):
    lbs, events = defaultdict(float), defaultdict(int)
    for r in _rows("cbp/nationwide-drugs-fy19-fy22.csv"):
        if r["Area of Responsibility"] == "TUCSON SECTOR" and r["FY"] == "2019":
            lbs[r["Drug Type"]] += float(r["Sum Qty (lbs)"])
            events[r["Drug Type"]] += int(r["Count of Event"])
    assert calib["drug_pounds"] == pytest.approx(sum(lbs.values()), abs=0.1)
    assert calib["drug_seizure_events"] == sum(events.values())
    assert calib["marijuana_pounds"] == pytest.approx(lbs["Marijuana"], abs=1)


@needs_data
def test_southbound_share_follows_the_stated_assumption(calib):
    swb = next(r for r in _rows("usbp/apprehensions_seizures_stats_2011_2019.csv")
               if r["sector"] == "southwest border" and r["fiscal_year"] == "2019")  # fmt: skip
    staff = next(r for r in _rows("usbp/border_patrol_staffing_1992_2019.csv")
                 if r["sector"] == "southwest border" and r["fiscal_year"] == "2019")  # fmt: skip
    assert calib["swb_currency_usd"] == int(swb["currency_in_dollars"])
    assert calib["swb_firearms"] == int(swb["firearms"])
    assert calib["swb_agents"] == int(staff["number_of_agents"])
    share = calib["agents"] / calib["swb_agents"]
    assert calib["currency_usd"] == pytest.approx(share * calib["swb_currency_usd"], rel=1e-3)
    assert calib["firearms"] == pytest.approx(share * calib["swb_firearms"], rel=0.01)


def test_uniform_patrols_reproduce_the_yearly_magnitudes(calib):
    sc = load_scenario("nogales")
    runs = [simulate(scenario=sc, strategy=parse_strategy(calib["calibration_strategy"]),
                     seed=seed).summary() for seed in (0, 1)]  # fmt: skip
    tol = calib["tolerance"]
    sim = {k: np.mean([r[k] for r in runs])
           for k in ("volume_interdicted_migrants", "volume_interdicted_drugs",
                     "volume_interdicted_cash", "volume_interdicted_guns")}  # fmt: skip
    assert sim["volume_interdicted_migrants"] == pytest.approx(calib["apprehensions"], rel=tol)
    assert sim["volume_interdicted_drugs"] == pytest.approx(calib["drug_pounds"], rel=tol)
    # Southbound seizures are a few dozen events a year, so sampling noise alone is ~15%.
    assert sim["volume_interdicted_cash"] == pytest.approx(calib["currency_usd"], rel=2 * tol)
    assert sim["volume_interdicted_guns"] == pytest.approx(calib["firearms"], rel=2 * tol)
