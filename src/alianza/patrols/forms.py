from django import forms
from django.utils.translation import gettext_lazy as _

from alianza.border.models import Sector

from .models import PatrolPlan


class PlanGenerateForm(forms.Form):
    operation = forms.ModelChoiceField(label=_("joint operation"), queryset=None)
    sector = forms.ModelChoiceField(label=_("sector"), queryset=Sector.objects.all())
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    shift = forms.ChoiceField(label=_("shift"), choices=PatrolPlan.Shift.choices)
    seed = forms.IntegerField(
        label=_("seed"),
        required=False,
        min_value=0,
        help_text=_("Leave empty for a random seed; the same seed and inputs give the same plan."),
    )

    def __init__(self, *args, operations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operation"].queryset = operations


class AssignmentEditForm(forms.Form):
    officers = forms.ModelMultipleChoiceField(label=_("officers"), queryset=None)
    first_segment = forms.ChoiceField(label=_("first segment"))
    last_segment = forms.ChoiceField(label=_("last segment"))
    starts_at = forms.DateTimeField(
        label=_("starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    vehicle = forms.CharField(label=_("vehicle"), max_length=64, required=False)

    def __init__(self, *args, officers, segments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers
        self.fields["officers"].label_from_instance = lambda o: f"{o.full_name} ({o.badge_number})"
        choices = [(s.segment_id, f"{s.segment_id} ({s.km_start:.0f} km)") for s in segments]
        self.fields["first_segment"].choices = choices
        self.fields["last_segment"].choices = choices
