from django import forms

from grassroots.orglife.models import Meeting

from . import rules
from .choices import AfterFailure, Body, Category, OpinionKind, StepKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NAMES_HELP = "多个姓名用逗号、顿号或换行分隔"


class MatterForm(forms.Form):
    org = forms.TypedChoiceField(label="村（社区）党组织", coerce=int)
    title = forms.CharField(label="事项名称", max_length=200)
    category = forms.ChoiceField(label="事项类别", choices=[("", "请选择")] + Category.choices)
    summary = forms.CharField(label="事项内容", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    amount = forms.DecimalField(label="涉及金额（元）", required=False, min_value=0, decimal_places=2, max_digits=14)
    planned_completion = forms.DateField(label="计划完成日期", required=False, widget=DATE, help_text="用于判断实施结果是否逾期公开")
    merged = forms.BooleanField(label="提议与“两委”联席会议合并进行（书记、主任“一肩挑”）", required=False)

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(o.pk, o.name) for o in orgs]
        if not rules.merge_allowed():
            del self.fields["merged"]


class StepForm(forms.Form):
    held_on = forms.DateField(label="会议日期", widget=DATE)
    place = forms.CharField(label="会议地点", max_length=200, required=False)
    meeting = forms.TypedChoiceField(label="提议的委员会会议（已登记的支委会/党委会）", coerce=int, required=False, empty_value=None)
    body = forms.ChoiceField(label="决议机构")
    attendees = forms.CharField(label="出席人员", widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text=NAMES_HELP)
    materials_sent_on = forms.DateField(label="审议材料送达日期", required=False, widget=DATE)
    roll = forms.TypedMultipleChoiceField(label="到会党员", coerce=int, required=False, widget=forms.CheckboxSelectMultiple)
    entitled = forms.IntegerField(label="应到人数（登记的参会代表）", min_value=0, required=False)
    present = forms.IntegerField(label="到会人数", min_value=0, required=False)
    households_present = forms.IntegerField(label="到会代表户数（村民会议）", min_value=0, required=False)
    votes_for = forms.IntegerField(label="赞成票", min_value=0, required=False)
    votes_against = forms.IntegerField(label="反对票", min_value=0, required=False)
    votes_abstain = forms.IntegerField(label="弃权票", min_value=0, required=False)
    content = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 5}))

    KEEP = {
        StepKind.PROPOSAL: ["held_on", "place", "meeting", "attendees", "content"],
        StepKind.CONSULTATION: ["held_on", "place", "attendees", "content"],
        StepKind.REVIEW: ["held_on", "place", "materials_sent_on", "roll", "votes_for", "votes_against", "votes_abstain", "content"],
        StepKind.RESOLUTION: ["body", "held_on", "place", "attendees", "entitled", "present", "households_present", "votes_for", "votes_against",
                              "votes_abstain", "content"],
    }
    CONTENT_LABELS = {
        StepKind.PROPOSAL: "提议内容", StepKind.CONSULTATION: "商议意见（各方意见及结论）", StepKind.REVIEW: "审议情况",
        StepKind.RESOLUTION: "决议内容",
    }

    def __init__(self, *args, kind, matter, roll=(), meetings=(), bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.KEEP[kind]:
                del self.fields[name]
        self.fields["content"].label = self.CONTENT_LABELS[kind]
        if "meeting" in self.fields:
            self.fields["meeting"].choices = [("", "（未在平台登记）")] + [(m.pk, f"{m.starts_at:%Y-%m-%d} {m.topic}") for m in meetings]
            self.fields["attendees"].label = "参加提议会议的委员"
        if kind == StepKind.CONSULTATION:
            self.fields["attendees"].label = "参加联席会议的“两委”成员"
        if "roll" in self.fields:
            self.fields["roll"].choices = [(m.pk, f"{m.name}{'（预备党员，无表决权）' if m.status != 'full' else ''}") for m in roll]
        if "body" in self.fields:
            self.fields["body"].choices = [("", "请选择")] + [(b, Body(b).label) for b in bodies]
            self.fields["attendees"].label = "到会代表（村民代表会议须与登记名单一致）"
            self.fields["attendees"].help_text = "村民代表会议：填写到会代表姓名，按登记的代表名单计算到会比例；" + NAMES_HELP
            self.fields["entitled"].help_text = "社区议事形式填写；村民代表会议和村民会议按村（社区）设置中的名册计算"
            self.fields["present"].help_text = "村民会议、社区议事形式填写；村民代表会议按到会代表名单计数"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos or PDFs in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return single(data, initial)


class PublishForm(forms.Form):
    title = forms.CharField(label="公开标题", max_length=200)
    body = forms.CharField(label="公开内容", widget=forms.Textarea(attrs={"rows": 8}))
    held_on = forms.DateField(label="公开日期", widget=DATE)
    amount = forms.DecimalField(label="本期金额（元）", required=False, min_value=0, decimal_places=2, max_digits=14)
    min_posting_days = forms.IntegerField(label="最短公示天数", min_value=1, max_value=365, required=False)
    attachments = MultipleFileField(label="照片或 PDF", required=False)

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        if kind != StepKind.RESOLUTION_DISCLOSURE:
            del self.fields["min_posting_days"]
        else:
            del self.fields["amount"]


class AmendForm(forms.Form):
    field = forms.ChoiceField(label="更正项目", choices=[("content", "内容"), ("place", "地点")])
    value = forms.CharField(label="更正后的内容", widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label="更正理由", max_length=500)


class FailureForm(forms.Form):
    choice = forms.ChoiceField(label="表决未通过后的处理", choices=AfterFailure.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="理由", max_length=500)


class OpinionForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=OpinionKind.choices, widget=forms.RadioSelect, initial=OpinionKind.OPINION)
    text = forms.CharField(label="意见内容", widget=forms.Textarea(attrs={"rows": 4}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label="答复", widget=forms.Textarea(attrs={"rows": 3}))


class SettingsForm(forms.Form):
    step_set = forms.ChoiceField(label="议事规则", required=False)
    representatives = forms.CharField(label="登记的村（居）民代表", widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text=NAMES_HELP)
    adults = forms.IntegerField(label="十八周岁以上村（居）民人数", min_value=0, required=False)
    households = forms.IntegerField(label="户数", min_value=0, required=False)
    committee_members = forms.CharField(label="村（居）民委员会成员", widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                        help_text="用于核对监督委员会成员任职回避；" + NAMES_HELP)

    def __init__(self, *args, default_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step_set"].choices = [("", f"默认（{default_label}）")] + [(s.code, s.label) for s in rules.STEP_SETS.values()]


class CommitteeForm(forms.Form):
    term_start = forms.DateField(label="任期开始", widget=DATE)
    term_end = forms.DateField(label="任期届满", widget=DATE)
    chosen_by = forms.ChoiceField(label="推选方式", choices=[(Body.VILLAGERS, "村（居）民会议"), (Body.REPRESENTATIVES, "村（居）民代表会议")])


class CommitteeMemberForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    is_chair = forms.BooleanField(label="主任", required=False)
    username = forms.CharField(label="平台账号（用户名，可不填）", max_length=150, required=False)
    declares_no_relative = forms.BooleanField(label="本人不是村（居）民委员会成员，也不是其近亲属", required=False)


def committee_meetings(matter):
    return Meeting.objects.filter(org_path__startswith=matter.org_path, kind="committee").order_by("-starts_at")[:50]
