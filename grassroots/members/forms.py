from django import forms

from grassroots.orgs.forms import OrgCodeField

from . import services
from .choices import ETHNICITIES, Education, Occupation, State, Status
from .choices import Gender as GenderChoices
from .models import Member
from .stats import AGE_BANDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALL = [("", "全部")]

# The model's own form fields (labels, choices, lengths), for the record form below.
_MODEL = forms.fields_for_model(
    Member,
    fields=services.RECORD_FIELDS,
    widgets={"birth_date": DATE, "joined_on": DATE, "full_on": DATE, "left_on": DATE},
    help_texts={
        "full_on": "预备党员不填",
        "left_reason": "仅“已出党”时填写",
        "left_on": "仅“已出党”时填写",
        "left_document": "开除党籍、除名、退党、自行脱党须填写处理决定文号",
    },
)


class MemberForm(forms.Form):
    """The member record (党员信息) for the create and edit pages and the API. Only the field types are
    checked here; the consistency rules are the service's (rules.check_member)."""

    name = _MODEL["name"]
    gender = _MODEL["gender"]
    ethnicity = _MODEL["ethnicity"]
    birth_date = _MODEL["birth_date"]
    id_number = forms.CharField(label="公民身份号码", max_length=18, required=False, help_text="18位，最后一位可以是X")
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    native_place = _MODEL["native_place"]
    education = _MODEL["education"]
    degree = _MODEL["degree"]
    occupation = _MODEL["occupation"]
    work_unit = _MODEL["work_unit"]
    residence = _MODEL["residence"]
    in_service = _MODEL["in_service"]
    org = OrgCodeField(label="所在党组织（组织代码）", help_text="可在下方按名称或拼音首字母查找组织代码")
    status = _MODEL["status"]
    joined_on = _MODEL["joined_on"]
    full_on = _MODEL["full_on"]
    state = _MODEL["state"]
    left_reason = _MODEL["left_reason"]
    left_on = _MODEL["left_on"]
    left_document = _MODEL["left_document"]

    GROUPS = [
        ("基本信息", ["name", "gender", "ethnicity", "birth_date", "id_number", "native_place", "education", "degree",
                  "phone", "occupation", "work_unit", "residence", "in_service"]),
        ("党籍信息", ["org", "status", "joined_on", "full_on"]),
        ("党籍状态", ["state", "left_reason", "left_on", "left_document"]),
    ]

    def __init__(self, *args, orgs, member=None, **kwargs):
        """`orgs`: the organizations the user manages; `member`: the record being edited (its ID number
        and phone are never put into the form: left empty, they stay as they are)."""
        if member is not None and "initial" not in kwargs:
            kwargs["initial"] = {**{f: getattr(member, f) for f in services.RECORD_FIELDS}, "org": member.org.code}
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["org"].queryset = orgs
        for name in ("education", "degree", "occupation", "left_reason"):
            self.fields[name].choices = [("", "（未填）"), *[c for c in self.fields[name].choices if c[0]]]
        if member is not None:
            self.fields["id_number"].help_text = f"当前：{member.id_number_masked or '未填'}。留空表示不修改"
            self.fields["phone"].help_text = f"当前：{member.phone_masked or '未填'}。留空表示不修改"

    def groups(self):
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()

    def clean_phone(self):
        return self.cleaned_data["phone"].strip()

    def service_data(self):
        """The cleaned values as the service takes them: without `org`, and on edit without an empty
        ID number or phone (empty means "keep")."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "org"}
        if self.member is not None:
            data["org"] = self.cleaned_data["org"]
            for name in services.SENSITIVE:
                if not data.get(name):
                    data.pop(name, None)
        return data


STATE_FILTER = [("", "在册（不含已出党）"), ("all", "全部（含已出党）"), *State.choices]
SORTS = {
    "org": ("按所在党组织", ["org_path", "initials", "id"]),
    "name": ("按姓名拼音", ["initials", "id"]),
    "joined_on": ("按入党日期（早→晚）", ["joined_on", "id"]),
    "-joined_on": ("按入党日期（晚→早）", ["-joined_on", "-id"]),
    "birth_date": ("按出生日期（年长在前）", ["birth_date", "id"]),
    "-birth_date": ("按出生日期（年轻在前）", ["-birth_date", "-id"]),
}


class MemberFilterForm(forms.Form):
    """The search and filters of the member list; the same fields are the API's query parameters
    and the Excel export's (grassroots/members/search.py)."""

    q = forms.CharField(label="查找", max_length=50, required=False)
    within = forms.IntegerField(label="党组织范围", required=False, min_value=1)
    status = forms.ChoiceField(label="党员类别", choices=ALL + Status.choices, required=False)
    gender = forms.ChoiceField(label="性别", choices=ALL + GenderChoices.choices, required=False)
    ethnicity = forms.ChoiceField(label="民族", choices=ALL + [("minority", "少数民族")] + ETHNICITIES, required=False)
    age = forms.ChoiceField(label="年龄段", choices=ALL + [(str(i), band[2]) for i, band in enumerate(AGE_BANDS)], required=False)
    education = forms.ChoiceField(label="学历", choices=ALL + Education.choices, required=False)
    occupation = forms.ChoiceField(label="职业", choices=ALL + Occupation.choices, required=False)
    joined_from = forms.DateField(label="入党日期从", required=False, widget=DATE)
    joined_to = forms.DateField(label="入党日期至", required=False, widget=DATE)
    state = forms.ChoiceField(label="党籍状态", choices=STATE_FILTER, required=False)
    sort = forms.ChoiceField(label="排序", choices=[(k, v[0]) for k, v in SORTS.items()], required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("joined_from"), data.get("joined_to")
        if start and end and start > end:
            self.add_error("joined_to", "结束日期不能早于开始日期")
        return data


class CorrectionForm(forms.Form):
    """A member's request to correct their own record."""

    field = forms.ChoiceField(label="要更正的信息", choices=[("", "请选择"), *services.CORRECTABLE_FIELDS.items()])
    requested_value = forms.CharField(
        label="应更正为", max_length=100, help_text="日期写作 2001-07-01；学历、民族等填写名称，如“大学本科”“汉族”"
    )
    reason = forms.CharField(label="理由", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    """The secretary's decision on a correction request."""

    approve = forms.TypedChoiceField(
        label="审核结果", choices=[("1", "同意并更正"), ("0", "驳回")], coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    note = forms.CharField(label="审核意见", max_length=500, required=False, help_text="驳回时必填")
