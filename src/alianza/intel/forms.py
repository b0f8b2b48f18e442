from django import forms
from django.utils.translation import gettext_lazy as _

from alianza.access.models import Compartment
from alianza.agencies.models import Agency

from .models import Report, RequestForInformation
from .services import handling_contradiction_message


class ReportForm(forms.ModelForm):
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
    originator_control = forms.BooleanField(label=_("originator control (ORCON)"), required=False)
    review_date = forms.DateField(
        label=_("review date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    # Blank by default: the handling then follows the releasability (Report.handling_default),
    # so ticking a partner agency never leaves the report "internal only".
    handling = forms.ChoiceField(
        label=_("handling"),
        required=False,
        choices=[
            (
                "",
                _(
                    "automatic: internal only unless releasable to another agency, "
                    "then only with originator approval"
                ),
            ),
            *Report.Handling.choices,
        ],
    )

    field_order = [
        "title",
        "body",
        "language",
        "basis_for_entry",
        "releasable_to",
        "compartments",
        "originator_control",
        "review_date",
        "handling",
        "source_reliability",
        "information_credibility",
    ]

    class Meta:
        model = Report
        fields = [
            "title",
            "body",
            "language",
            "basis_for_entry",
            "handling",
            "source_reliability",
            "information_credibility",
        ]

    def __init__(self, *args, reader, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["releasable_to"].queryset = Agency.objects.exclude(pk=reader.agency_id)
        # Only compartments the author holds: nobody can label data for a group they are not in.
        self.fields["compartments"].queryset = Compartment.objects.filter(
            pk__in=reader.compartment_ids, active=True
        )

    def clean(self):
        data = super().clean()
        shared = bool(data.get("releasable_to"))
        if Report.handling_contradicts(data.get("handling", ""), shared=shared):
            self.add_error("handling", handling_contradiction_message())
        return data

    def _post_clean(self):
        # The service builds and validates the report (it knows the agency and the marking).
        pass


class TearlineForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=300)
    body = forms.CharField(label=_("body"), widget=forms.Textarea)
    releasable_to = forms.ModelMultipleChoiceField(
        label=_("releasable to"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, reader, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["releasable_to"].queryset = Agency.objects.exclude(pk=reader.agency_id)


class RfiForm(forms.Form):
    requested_agency = forms.ModelChoiceField(
        label=_("requested agency"), queryset=Agency.objects.none()
    )
    question = forms.CharField(label=_("question"), widget=forms.Textarea)
    priority = forms.ChoiceField(
        label=_("priority"), choices=RequestForInformation.Priority.choices
    )
    due_date = forms.DateField(label=_("due date"), widget=forms.DateInput(attrs={"type": "date"}))
    compartment = forms.ModelChoiceField(
        label=_("compartment"), required=False, queryset=Compartment.objects.none()
    )

    def __init__(self, *args, reader, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_agency"].queryset = Agency.objects.exclude(pk=reader.agency_id)
        self.fields["compartment"].queryset = Compartment.objects.filter(
            pk__in=reader.compartment_ids, active=True
        )
