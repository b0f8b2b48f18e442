from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CheckResult, CheckType, IntegrityAllegation


class CheckResultForm(forms.Form):
    check_type = forms.ModelChoiceField(label=_("check"), queryset=CheckType.objects.none())
    result = forms.ChoiceField(label=_("result"), choices=CheckResult.Result.choices)
    examiner = forms.CharField(label=_("examiner"), max_length=200)
    examined_on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(
        label=_("expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(label=_("restricted notes"), required=False, widget=forms.Textarea)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["check_type"].queryset = CheckType.objects.filter(programme=programme)


class AllegationForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("officer"), queryset=None)
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class AllegationCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[
            (IntegrityAllegation.Status.SUBSTANTIATED, _("substantiated")),
            (IntegrityAllegation.Status.UNSUBSTANTIATED, _("unsubstantiated")),
        ],
    )
    resolution = forms.CharField(label=_("resolution"), widget=forms.Textarea)
