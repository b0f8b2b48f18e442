import pytest

from alianza.agencies.models import Agency
from alianza.border.locating import default_locator
from alianza.border.models import Corridor, Place, Sector, Segment
from alianza.border.services import border_nogales_load, border_segments_load

pytestmark = pytest.mark.django_db


def test_segments_load_once_with_stable_ids_and_keep_administrators_edits():
    assert border_segments_load() == 3224
    first = Segment.objects.get(segment_id="km-0686")
    first.terrain, first.access = Segment.Terrain.URBAN, Segment.Access.ROAD
    first.save()
    assert border_segments_load() == 0
    again = Segment.objects.get(segment_id="km-0686")
    assert (again.pk, again.terrain, again.access) == (first.pk, "urban", "road")
    assert again.geometry["type"] == "LineString"
    assert again.km_start == 686.0 and abs(again.length_m - 1000) < 1


def test_a_km_range_loads_only_its_segments():
    assert border_segments_load(km_range=(680.0, 690.0)) == 10
    assert set(Segment.objects.values_list("segment_id", flat=True)) >= {"km-0680", "km-0689"}


def test_nogales_sectors_corridors_and_places_from_real_coordinates():
    usbp = Agency.objects.create(code="USBP", name_en="USBP", name_es="USBP", country="US")
    border_nogales_load(agency=usbp)
    border_nogales_load(agency=usbp)  # idempotent
    assert Sector.objects.count() == 1 and Corridor.objects.count() == 3
    tucson = Sector.objects.get(code="TCA")
    assert 420 < tucson.km_end - tucson.km_start < 425  # 262 miles of border
    locator = default_locator()
    for corridor_code, place_code in [
        ("NOGALES", "POE-DECONCINI"),
        ("SASABE", "POE-SASABE"),
        ("NACO", "POE-NACO"),
    ]:
        corridor, place = (
            Corridor.objects.get(code=corridor_code),
            Place.objects.get(code=place_code),
        )
        assert corridor.contains_km(locator.locate(place.lon, place.lat).km_marker)
        assert tucson.km_start <= corridor.km_start < corridor.km_end <= tucson.km_end
    assert Place.objects.get(code="TOWN-HNOGALES").side == "MX"
    assert Place.objects.get(code="STN-NOGALES").side == "US"
    assert Place.objects.filter(kind="port_of_entry").count() == 4
