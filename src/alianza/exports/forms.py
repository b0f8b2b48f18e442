from django import forms
from django.utils.translation import gettext_lazy as _

from alianza.agencies.models import Agency

from .models import ExportRecord


class ExportForm(forms.Form):
    recipient = forms.CharField(label=_("recipient"), max_length=200)
    recipient_agency = forms.ModelChoiceField(
        label=_("recipient's agency"),
        queryset=Agency.objects.order_by("code"),
        help_text=_("The handling code of each report decides whether it may go to this agency."),
    )
    format = forms.ChoiceField(label=_("format"), choices=ExportRecord.Format.choices)
    omit_refused = forms.BooleanField(
        label=_("Leave out the reports that may not go to this recipient, and export the rest"),
        required=False,
    )

    def __init__(self, *args, allow_omit: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_omit:
            del self.fields["omit_refused"]


class TraceForm(forms.Form):
    text = forms.CharField(
        label=_("leaked text"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )
    file = forms.FileField(label=_("leaked file (PDF, CSV or text)"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("file"):
            raise forms.ValidationError(_("Paste some text or choose a file."))
        return data
