from django import forms

from .choices import Grade, HouseholdKind, StationKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
TEXT = forms.Textarea(attrs={"rows": 3})


class OrgChoiceForm(forms.Form):
    def set_orgs(self, field, orgs):
        self.fields[field].choices = [("", "请选择")] + [(o.pk, o.name) for o in orgs]


class MonthField(forms.DateField):
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def __init__(self, **kwargs):
        super().__init__(widget=MONTH, **kwargs)


class PairingForm(OrgChoiceForm):
    partner = forms.TypedChoiceField(label="帮扶单位党组织", coerce=int)
    village = forms.TypedChoiceField(label="结对村", coerce=int)
    started_on = forms.DateField(label="结对日期", widget=DATE)
    contact_name = forms.CharField(label="帮扶单位联络人", max_length=50, required=False)
    goals = forms.CharField(label="帮扶目标", widget=TEXT, required=False)


class EndForm(forms.Form):
    ended_on = forms.DateField(label="结束日期", widget=DATE)
    end_reason = forms.CharField(label="结束原因", max_length=200)


class PoorForm(OrgChoiceForm):
    village = forms.TypedChoiceField(label="村", coerce=int)
    source = forms.CharField(label="认定依据", max_length=200, help_text="文件名称和文号，如：省定经济薄弱村（苏政办发〔2021〕X号）")
    designated_on = forms.DateField(label="认定日期", widget=DATE)


class LiftForm(forms.Form):
    lifted_on = forms.DateField(label="退出日期", widget=DATE)
    lifted_reason = forms.CharField(label="退出原因", max_length=200)


class StationingForm(OrgChoiceForm):
    village = forms.TypedChoiceField(label="驻村", coerce=int)
    kind = forms.ChoiceField(label="类别", choices=StationKind.choices)
    name = forms.CharField(label="姓名", max_length=50)
    sending_unit = forms.TypedChoiceField(label="派出单位", coerce=int)
    position = forms.CharField(label="原单位职务", max_length=100, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    username = forms.CharField(label="登录账号（用户名，可空）", max_length=150, required=False, help_text="该账号须在本村持有“第一书记/驻村工作队员”角色")
    started_on = forms.DateField(label="到村日期", widget=DATE)
    term_years = forms.IntegerField(label="任期（年）", min_value=0, initial=2)
    case = forms.TypedChoiceField(label="软弱涣散整顿案件", coerce=int, required=False, empty_value=None,
                                  help_text="为软弱涣散党组织整顿选派时选择该村的整顿案件；整顿期间驻村干部不得撤离")

    def set_cases(self, cases):
        self.fields["case"].choices = [("", "（非整顿选派）")] + [(c.pk, f"{c.org.name} · {c.year}年 {c.get_stage_display()}") for c in cases]


class ReplaceForm(OrgChoiceForm):
    on = forms.DateField(label="轮换日期", widget=DATE)
    left_reason = forms.CharField(label="轮换原因", max_length=200)
    name = forms.CharField(label="接替人姓名", max_length=50)
    sending_unit = forms.TypedChoiceField(label="派出单位", coerce=int)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    term_years = forms.IntegerField(label="任期（年）", min_value=0, initial=2)


class RecallForm(forms.Form):
    on = forms.DateField(label="召回日期", widget=DATE)
    left_reason = forms.CharField(label="召回原因", max_length=200)


class AttendanceForm(forms.Form):
    month = MonthField(label="月份")
    days = forms.IntegerField(label="在村天数", min_value=0, max_value=31)
    note = forms.CharField(label="说明", max_length=200, required=False)


class LeaveForm(forms.Form):
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE)
    reason = forms.CharField(label="事由", max_length=200)


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(label="审批", choices=[("1", "批准"), ("0", "不批准")], coerce=lambda v: v == "1")
    decision_note = forms.CharField(label="审批意见", max_length=200, required=False)


class LogForm(forms.Form):
    month = MonthField(label="月份")
    work = forms.CharField(label="本月工作", widget=TEXT)
    problems = forms.CharField(label="困难问题", widget=TEXT, required=False)
    plan = forms.CharField(label="下月计划", widget=TEXT, required=False)


class TaskForm(forms.Form):
    title = forms.CharField(label="任务内容", max_length=300)
    starts_on = forms.DateField(label="开始日期", widget=DATE, required=False)
    due_on = forms.DateField(label="完成时限", widget=DATE)
    responsible_name = forms.CharField(label="责任人", max_length=50, required=False)


class ReportForm(forms.Form):
    percent = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100)
    text = forms.CharField(label="进展情况", widget=TEXT)
    reported_on = forms.DateField(label="报送日期", widget=DATE)
    files = forms.FileField(label="佐证材料（照片、文件）", required=False)


class HouseholdForm(OrgChoiceForm):
    village = forms.TypedChoiceField(label="所在村", coerce=int)
    kind = forms.ChoiceField(label="类别", choices=HouseholdKind.choices)
    head_name = forms.CharField(label="户主姓名", max_length=50)
    members_count = forms.IntegerField(label="家庭人口", min_value=1, initial=1)
    id_number = forms.CharField(label="公民身份号码", max_length=18, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    address = forms.CharField(label="住址", max_length=200, required=False)
    situation = forms.CharField(label="家庭情况", widget=TEXT, required=False)


class LinkForm(forms.Form):
    stationing = forms.TypedChoiceField(label="驻村干部", coerce=int, required=False, empty_value=None)
    cadre_name = forms.CharField(label="或：其他联户干部姓名", max_length=50, required=False)
    started_on = forms.DateField(label="联系起始", widget=DATE)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", widget=DATE)
    needs = forms.CharField(label="群众诉求", widget=TEXT)
    solved = forms.CharField(label="解决情况", widget=TEXT, required=False)
    resolved = forms.BooleanField(label="已解决", required=False)


class AssessmentForm(forms.Form):
    grade = forms.ChoiceField(label="等次", choices=Grade.choices)
    comment = forms.CharField(label="评语", widget=TEXT, required=False)
    typical = forms.BooleanField(label="标为典型宣传", required=False)
    typical_summary = forms.CharField(label="典型事迹", widget=TEXT, required=False)
