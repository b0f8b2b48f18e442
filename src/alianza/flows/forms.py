"""Entry forms for flow events. They only parse input: the services validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alianza.access.models import Compartment
from alianza.agencies.models import Agency, Unit

from .models import CurrencyItem, DrugItem, FirearmItem, FlowEvent


class FlowEventForm(forms.Form):
    """The event itself. Times are entered in the display time zone (Arizona/Sonora)."""

    kind = forms.ChoiceField(label=_("kind"), choices=FlowEvent.Kind.choices)
    direction = forms.ChoiceField(
        label=_("direction"), choices=FlowEvent.Direction.choices, initial="unknown"
    )
    occurred_at = forms.DateTimeField(
        label=_("occurred at (local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    lat = forms.FloatField(label=_("latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("longitude"), min_value=-180, max_value=180)
    case_reference = forms.CharField(label=_("case reference"), max_length=64, required=False)
    narrative = forms.CharField(label=_("narrative"), widget=forms.Textarea, required=False)


class FlowEventCreateForm(FlowEventForm):
    unit = forms.ModelChoiceField(
        label=_("reporting unit"), queryset=Unit.objects.none(), required=False
    )
    releasable_to = forms.ModelMultipleChoiceField(
        label=_("releasable to"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    compartments = forms.ModelMultipleChoiceField(
        label=_("compartments"),
        queryset=Compartment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, reader, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(agency_id=reader.agency_id)
        self.fields["releasable_to"].queryset = Agency.objects.exclude(pk=reader.agency_id)
        # Only compartments the author holds: nobody can label data for a group they are not in.
        self.fields["compartments"].queryset = Compartment.objects.filter(
            pk__in=reader.compartment_ids, active=True
        )


class _ItemForm(forms.Form):
    """A row of an item formset; an untouched row is skipped (empty_permitted)."""

    def item(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}


class DrugItemForm(_ItemForm):
    category = forms.ChoiceField(label=_("category"), choices=DrugItem.Category.choices)
    quantity = forms.DecimalField(label=_("quantity"), min_value=0, max_digits=14)
    unit = forms.ChoiceField(label=_("unit"), choices=DrugItem.Unit.choices)


class CurrencyItemForm(_ItemForm):
    amount = forms.DecimalField(label=_("amount"), min_value=0, max_digits=16, decimal_places=2)
    currency = forms.ChoiceField(label=_("currency"), choices=CurrencyItem.Currency.choices)


class FirearmItemForm(_ItemForm):
    type = forms.ChoiceField(label=_("type"), choices=FirearmItem.Type.choices)
    make = forms.CharField(label=_("make"), max_length=64, required=False)
    model = forms.CharField(label=_("model"), max_length=64, required=False)
    calibre = forms.CharField(label=_("calibre"), max_length=32, required=False)
    serial = forms.CharField(label=_("serial number"), max_length=64, required=False)


class AmmunitionItemForm(_ItemForm):
    rounds = forms.IntegerField(label=_("rounds"), min_value=1)
    calibre = forms.CharField(label=_("calibre"), max_length=32, required=False)


class PersonsItemForm(_ItemForm):
    count = forms.IntegerField(label=_("count"), min_value=1)
    nationality = forms.CharField(
        label=_("nationality (ISO code)"), max_length=2, min_length=2, required=False
    )

    def clean_nationality(self):
        return self.cleaned_data["nationality"].upper()


class VehicleItemForm(_ItemForm):
    plate = forms.CharField(label=_("plate"), max_length=16, required=False)
    state = forms.CharField(label=_("state"), max_length=32, required=False)
    vin = forms.CharField(label=_("VIN"), max_length=17, required=False)


# The service's item keys, in the order the page shows them, with their heading.
ITEM_FORMS = {
    "drugs": (DrugItemForm, _("Drugs")),
    "currency": (CurrencyItemForm, _("Currency")),
    "firearms": (FirearmItemForm, _("Firearms")),
    "ammunition": (AmmunitionItemForm, _("Ammunition")),
    "persons": (PersonsItemForm, _("Persons")),
    "vehicles": (VehicleItemForm, _("Vehicles")),
}


def item_formsets(data=None) -> dict:
    """One formset per item kind, each with two blank rows (more: save, then add more)."""
    formsets = {}
    for key, (form_class, heading) in ITEM_FORMS.items():
        formset_class = forms.formset_factory(form_class, extra=2, max_num=50, validate_max=True)
        formset = formset_class(data, prefix=key)
        formset.heading = heading
        formsets[key] = formset
    return formsets


def items_from(formsets: dict) -> dict:
    return {
        key: [form.item() for form in formset if form.has_changed() and form.cleaned_data]
        for key, formset in formsets.items()
    }


class FlowEventLinkForm(forms.Form):
    other = forms.IntegerField(
        label=_("the other report's event number"),
        min_value=1,
        help_text=_("The same crossing as reported by the other agency (or another unit)."),
    )
