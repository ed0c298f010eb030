"""Forms of the development pages. They check field types only; the rules are the service's."""

from django import forms

from grassroots.members.choices import ETHNICITIES, HAN, Education, Gender

from . import rules

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices)
    ethnicity = forms.ChoiceField(label="民族", choices=ETHNICITIES, initial=HAN)
    birth_date = forms.DateField(label="出生日期", widget=DATE)
    id_number = forms.CharField(label="公民身份号码", max_length=18, required=False, help_text="18位，最后一位可以是X")
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    education = forms.ChoiceField(label="学历", choices=[("", "—"), *Education.choices], required=False)
    work_unit = forms.CharField(label="工作单位", max_length=200, required=False)
    applied_on = forms.DateField(label="递交申请日期", widget=DATE)
    documents = forms.CharField(label="材料", max_length=500, required=False, initial="入党申请书")
    note = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ApplicantEditForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices)
    ethnicity = forms.ChoiceField(label="民族", choices=ETHNICITIES)
    birth_date = forms.DateField(label="出生日期", widget=DATE)
    id_number = forms.CharField(label="公民身份号码", max_length=18, required=False, help_text="不修改请留空（已登记的号码不显示）")
    phone = forms.CharField(label="联系电话", max_length=20, required=False, help_text="不修改请留空")
    education = forms.ChoiceField(label="学历", choices=[("", "—"), *Education.choices], required=False)
    work_unit = forms.CharField(label="工作单位", max_length=200, required=False)
    reason = forms.CharField(label="修改理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class StepForm(forms.Form):
    """Date, who and documents of one step, and the step's own inputs (contacts, sponsors, training, vote...)."""

    date = forms.DateField(label="日期", widget=DATE)
    documents = forms.CharField(label="材料及文号", max_length=500, required=False, help_text="如：谈话记录、备案表、文号")
    note = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    attachment = forms.FileField(label="上传材料扫描件", required=False, help_text="照片、PDF 或 Word 文件（可不上传）")

    def __init__(self, *args, step, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        choices = [(m.pk, m.name) for m in people]
        if "contacts" in step.fields:
            self.fields["contacts"] = forms.TypedMultipleChoiceField(
                label="培养联系人", choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple, help_text=f"{rules.CONTACTS_MIN}至{rules.CONTACTS_MAX}名正式党员")
        if "sponsors" in step.fields:
            self.fields["sponsors"] = forms.TypedMultipleChoiceField(
                label="入党介绍人", choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple, help_text=f"{rules.SPONSORS}名正式党员")
        if "training" in step.fields:
            self.fields["training_days"] = forms.IntegerField(label="培训天数", min_value=0, required=False)
            self.fields["training_hours"] = forms.IntegerField(label="培训学时", min_value=0, required=False)
        if "vote" in step.fields:
            self.fields["present_ids"] = forms.TypedMultipleChoiceField(
                label="到会的有表决权党员", choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple, required=False,
                help_text="表决名单：本支部有表决权的正式党员（预备党员没有表决权）")
            for name, label in (("votes_for", "赞成"), ("against", "反对"), ("abstain", "弃权")):
                self.fields[name] = forms.IntegerField(label=f"{label}票数", min_value=0, initial=0)
        if "extension_reason" in step.fields:
            self.fields["extension_reason"] = forms.CharField(
                label="延长审批期限的理由", max_length=500, required=False, help_text=f"超过{rules.APPROVAL_WITHIN_MONTHS}个月审批的，须说明特殊情况（最长{rules.APPROVAL_MAX_MONTHS}个月）")
        if "extension" in step.fields:
            self.fields["months"] = forms.IntegerField(label="延长月数", min_value=1, max_value=24, help_text=f"{rules.EXTENSION_MIN_MONTHS}至{rules.EXTENSION_MAX_MONTHS}个月，只能延长一次")
        if "reason" in step.fields:
            self.fields["reason"] = forms.CharField(label="理由", max_length=500)

    def data_for_service(self):
        extra = {k: v for k, v in self.cleaned_data.items() if k not in ("date", "documents", "note", "attachment")}
        if "present_ids" in extra:
            extra["present_ids"] = list(extra["present_ids"])
        return extra


class CorrectionForm(forms.Form):
    date = forms.DateField(label="更正后的日期", widget=DATE)
    documents = forms.CharField(label="材料及文号", max_length=500, required=False)
    note = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reason = forms.CharField(label="更正理由", max_length=500)
