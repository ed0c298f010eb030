from django import forms

from grassroots.orgs.models import Organization

from .models import Stationed


class ScreeningForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2014, max_value=2100)


class CandidateForm(forms.Form):
    org = forms.ModelChoiceField(label="村（社区）党组织", queryset=Organization.objects.none())
    problems = forms.MultipleChoiceField(label="问题类型", choices=(), widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label="增列理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units=(), criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = Organization.objects.filter(pk__in=[u.pk for u in units])
        self.fields["problems"].choices = criteria


class ConfirmForm(forms.Form):
    due_on = forms.DateField(label="整顿时限", widget=forms.DateInput(attrs={"type": "date"}))


class SupportForm(forms.Form):
    contact_leader = forms.CharField(label="县级联系领导", max_length=50, required=False)
    assisting_unit = forms.ModelChoiceField(label="帮扶单位", queryset=Organization.objects.none(), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assisting_unit"].queryset = units if units is not None else Organization.objects.none()


class StationedForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=Stationed.Kind.choices)
    name = forms.CharField(label="姓名（工作队名称）", max_length=100)


class MeasureForm(forms.Form):
    title = forms.CharField(label="整改措施", max_length=300)
    due_on = forms.DateField(label="完成时限", widget=forms.DateInput(attrs={"type": "date"}))
    responsible_name = forms.CharField(label="责任人", max_length=50, required=False)


class ObligationForm(forms.Form):
    how = forms.CharField(label="落实情况", max_length=300)


class PollForm(forms.Form):
    tokens = forms.IntegerField(label="群众评议码（份）", min_value=0, max_value=2000, initial=0, required=False)
    paper_masses = forms.IntegerField(label="群众纸质票（份）", min_value=0, max_value=100000, initial=0, required=False)
    paper_members = forms.IntegerField(label="党员纸质票（份）", min_value=0, max_value=100000, initial=0, required=False)
    members_online = forms.BooleanField(label="本村有账号的党员网上测评", required=False, initial=True)
