"""Normalised selectors make one entity; the graph shows only what visible reports assert."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from alianza.intel import normalise
from alianza.intel.entity_models import Entity
from alianza.intel.graph import entity_mention, neighbours, shortest_path


class TestNormalise:
    def test_phone_numbers_become_e164(self):
        assert normalise.phone_e164("(631) 123-4567", default_region="MX") == "+526311234567"
        assert normalise.phone_e164("+1 520-555-0142") == "+15205550142"
        with pytest.raises(ValueError):
            normalise.phone_e164("12")

    def test_vin_check_digit(self):
        assert normalise.vin("1m8gdm9a-xkp042788") == "1M8GDM9AXKP042788"
        with pytest.raises(ValueError, match="check digit"):
            normalise.vin("1M8GDM9A1KP042788")
        with pytest.raises(ValueError, match="without I, O or Q"):
            normalise.vin("1M8GDM9AXKP04278O")

    def test_plates_are_unique_within_their_state(self):
        assert normalise.plate("vkp-12 34", state="son") == "SON:VKP1234"
        assert normalise.plate("VKP1234", state="AZ") != normalise.plate("VKP1234", state="SON")

    def test_clabe_check_digit(self):
        assert normalise.clabe("002 010 077777777771") == "002010077777777771"
        with pytest.raises(ValueError):
            normalise.clabe("002010077777777772")

    def test_names_fold_case_and_accents(self):
        assert normalise.name_key("Los Hermanos  PEÑASCO") == normalise.name_key(
            "los hermanos peñasco"
        )

    @given(st.text(alphabet="0123456789ABCDEFGHJKLMNPRSTUVWXYZ", min_size=17, max_size=17))
    def test_vin_accepts_exactly_the_strings_with_a_correct_check_digit(self, candidate):
        values = normalise._VIN_VALUES
        total = sum(values[c] * w for c, w in zip(candidate, normalise._VIN_WEIGHTS, strict=True))
        expected = "X" if total % 11 == 10 else str(total % 11)
        if candidate[8] == expected:
            assert normalise.vin(candidate) == candidate
        else:
            with pytest.raises(ValueError):
                normalise.vin(candidate)


@pytest.mark.django_db
class TestGraph:
    def test_the_same_phone_written_differently_is_one_entity(self, world):
        mention = entity_mention(
            actor=None, report=world.reports["mx_internal"], kind="phone", raw="631 123 45 67"
        )
        assert mention.entity == world.entities["phone"]
        assert Entity.objects.unrestricted(reason="test").filter(kind="phone").count() == 1

    def test_bad_selector_names_the_input(self, world):
        with pytest.raises(ValidationError, match="check digit"):
            entity_mention(
                actor=None,
                report=world.reports["mx_internal"],
                kind="vehicle",
                raw="1M8GDM9A1KP042788",
            )

    def test_only_the_reports_own_agency_links_entities(self, world):
        from alianza.access.getters import RecordNotFound

        with pytest.raises(RecordNotFound):
            entity_mention(
                actor=world.user("mx_analyst"),
                report=world.reports["us_shared"],
                kind="organisation",
                raw="Cártel X",
            )

    def test_hidden_edges_and_entities_do_not_exist_for_the_reader(self, world):
        phone = world.entities["phone"]
        us = {
            other.display_label
            for other, _ in neighbours(reader=world.user("us_analyst"), entity=phone)
        }
        mx = {
            other.display_label
            for other, _ in neighbours(reader=world.user("mx_analyst"), entity=phone)
        }
        assert us == {"Los Halcones ZAPHODORG", "Van TRILLIAN"}
        assert mx == {"Van TRILLIAN"}
        assert (
            not Entity.objects.visible_to(world.user("mx_analyst"))
            .filter(pk=world.entities["org"].pk)
            .exists()
        )

    def test_shortest_path_goes_only_through_visible_edges(self, world):
        org, phone, van = (world.entities[k] for k in ("org", "phone", "van"))
        path = shortest_path(reader=world.user("us_analyst"), start=org, goal=van)
        assert [entity.pk for entity, _ in path] == [org.pk, phone.pk, van.pk]
        assert shortest_path(reader=world.user("mx_analyst"), start=org, goal=van) == []
        mx_path = shortest_path(reader=world.user("mx_analyst"), start=phone, goal=van)
        assert [entity.pk for entity, _ in mx_path] == [phone.pk, van.pk]

    def test_graph_follows_vetting_status(self, world):
        # mx.unvetted keeps only MX records: the van (from an MX report) but no U.S. edge.
        visible = set(
            Entity.objects.visible_to(world.user("mx_unvetted")).values_list("selector", flat=True)
        )
        assert visible == {"VIN:1M8GDM9AXKP042788"}
