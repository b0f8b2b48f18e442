from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExportRecord


class ExportForm(forms.Form):
    recipient = forms.CharField(label=_("recipient"), max_length=200)
    format = forms.ChoiceField(label=_("format"), choices=ExportRecord.Format.choices)


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
