from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Officer, Unit
from .roles import ROLE_LABELS


class OfficerForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages spoken"),
        choices=[("en", _("English")), ("es", _("Spanish"))],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Officer
        fields = [
            "unit",
            "badge_number",
            "given_name",
            "family_name",
            "rank",
            "languages",
            "email",
            "phone",
        ]

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        # Choice fields are filtered too: one cannot pick a unit of another agency.
        self.fields["unit"].queryset = Unit.objects.filter(agency=agency)


class OfficerCreateForm(OfficerForm):
    username = forms.CharField(label=_("username"), max_length=150, required=False)
    roles = forms.MultipleChoiceField(
        label=_("roles"),
        choices=list(ROLE_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def _post_clean(self):
        # Uniqueness of (agency, badge) is checked by the service, which knows the agency.
        pass
