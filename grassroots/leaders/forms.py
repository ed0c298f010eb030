from django import forms

from grassroots.members.choices import Education, Gender

from . import rules
from .choices import AuditKind, Body, Grade, ReserveEventKind, Seat, SignOffResult, Source

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _org_choices(orgs):
    return [(o.pk, o.name) for o in orgs]


class PlanForm(forms.Form):
    title = forms.CharField(label="方案名称", max_length=200)
    year = forms.IntegerField(label="换届年度", min_value=2000, max_value=2100)
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="完成日期", widget=DATE)
    summary = forms.CharField(label="方案要点", widget=forms.Textarea(attrs={"rows": 4}), required=False)


class ElectionForm(forms.Form):
    org = forms.TypedChoiceField(label="村（社区）", coerce=int)
    plan = forms.TypedChoiceField(label="换届方案", coerce=int, required=False, empty_value=None)
    vote_on = forms.DateField(label="选举日期", widget=DATE, required=False)
    party_seats = forms.IntegerField(label="党组织委员会应选名额", initial=5, min_value=3, max_value=9)
    villagers_seats = forms.IntegerField(label="村（居）委会应选名额", initial=5, min_value=3, max_value=9)

    def __init__(self, *args, orgs, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = _org_choices(orgs)
        self.fields["plan"].choices = [("", "—")] + [(p.pk, p.title) for p in plans]


class CandidateForm(forms.Form):
    body = forms.ChoiceField(label="委员会", choices=Body.choices)
    seat = forms.ChoiceField(label="拟任职务", choices=Seat.choices)
    member = forms.TypedChoiceField(label="党员（党组织委员会候选人必选）", coerce=int, required=False, empty_value=None)
    name = forms.CharField(label="姓名（非党员填写）", max_length=50, required=False)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices, required=False)
    birth_date = forms.DateField(label="出生日期", widget=DATE, required=False)
    education = forms.ChoiceField(label="学历", choices=[("", "—"), *Education.choices], required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "—")] + [(m.pk, m.name) for m in members]


class VotersForm(forms.Form):
    keys = forms.CharField(label="选民身份证号（每行一个；只保存其加密散列）", widget=forms.Textarea(attrs={"rows": 5}))
    group = forms.CharField(label="村民小组", max_length=50, required=False)


class SignOffForm(forms.Form):
    body = forms.ChoiceField(label="联审部门")
    result = forms.ChoiceField(label="结论", choices=SignOffResult.choices)
    hits = forms.MultipleChoiceField(label="负面清单情形", required=False, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label="意见", max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = rules.vetting_bodies()
        self.fields["hits"].choices = rules.negative_list()


class CloseForm(forms.Form):
    reported_on = forms.DateField(label="报乡镇（街道）备案日期", widget=DATE)


class AuditForm(forms.Form):
    org = forms.TypedChoiceField(label="村（社区）", coerce=int)
    election = forms.TypedChoiceField(label="换届选举", coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label="类型", choices=AuditKind.choices)
    person_name = forms.CharField(label="被审计人", max_length=50)
    post_label = forms.CharField(label="职务", max_length=50)
    scope = forms.CharField(label="审计范围", max_length=255)
    auditor = forms.CharField(label="审计单位", max_length=100)

    def __init__(self, *args, orgs, elections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = _org_choices(orgs)
        self.fields["election"].choices = [("", "—")] + [(e.pk, e.title) for e in elections]


class FinishAuditForm(forms.Form):
    findings = forms.CharField(label="审计发现", widget=forms.Textarea(attrs={"rows": 4}))
    follow_up = forms.CharField(label="整改落实", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    finished_on = forms.DateField(label="完成日期", widget=DATE)


class ReserveForm(forms.Form):
    org = forms.TypedChoiceField(label="村（社区）", coerce=int)
    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices)
    birth_date = forms.DateField(label="出生日期", widget=DATE)
    education = forms.ChoiceField(label="学历", choices=[("", "—"), *Education.choices], required=False)
    source = forms.ChoiceField(label="来源", choices=Source.choices)
    id_number = forms.CharField(label="公民身份号码", max_length=18, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    target_post = forms.CharField(label="培养方向", max_length=50, required=False)
    entered_on = forms.DateField(label="入库日期", widget=DATE)
    reason = forms.CharField(label="入库理由", max_length=255, required=False)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = _org_choices(orgs)


class ReserveEventForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=[c for c in ReserveEventKind.choices if c[0] in ("assess", "note")])
    happened_on = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="说明", max_length=255)
    grade = forms.ChoiceField(label="评价", choices=[("", "—"), *Grade.choices], required=False)


class LeaveForm(forms.Form):
    left_on = forms.DateField(label="出库日期", widget=DATE)
    reason = forms.CharField(label="出库原因", max_length=200)


class ImportForm(forms.Form):
    org = forms.TypedChoiceField(label="村（社区）", coerce=int)
    file = forms.FileField(label="Excel 文件（.xlsx）")

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = _org_choices(orgs)


class CourseForm(forms.Form):
    org = forms.TypedChoiceField(label="主办党组织", coerce=int)
    title = forms.CharField(label="培训名称", max_length=200)
    held_on = forms.DateField(label="培训日期", widget=DATE)
    hours = forms.DecimalField(label="学时", max_digits=5, decimal_places=1, min_value=0)
    organizer = forms.CharField(label="主办单位", max_length=100, required=False)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = _org_choices(orgs)


class AttendanceForm(forms.Form):
    person = forms.ChoiceField(label="参训人员")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people


class ReviewForm(forms.Form):
    org = forms.TypedChoiceField(label="村（社区）", coerce=int)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    member = forms.TypedChoiceField(label="党员（如是）", coerce=int, required=False, empty_value=None)
    name = forms.CharField(label="姓名", max_length=50)
    post_label = forms.CharField(label="职务", max_length=50)
    report = forms.CharField(label="述职述廉报告要点", widget=forms.Textarea(attrs={"rows": 4}))
    grade = forms.ChoiceField(label="民主评议结果", choices=Grade.choices)

    def __init__(self, *args, orgs, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = _org_choices(orgs)
        self.fields["member"].choices = [("", "—")] + [(m.pk, m.name) for m in members]
