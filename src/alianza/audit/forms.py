from django import forms
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("actor"), required=False)
    action = forms.CharField(label=_("action"), required=False)
    object_type = forms.CharField(label=_("object type"), required=False)
    object_id = forms.CharField(label=_("object id"), required=False)
    since = forms.DateTimeField(
        label=_("from"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    until = forms.DateTimeField(
        label=_("until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
