from django import forms

from grassroots.members.forms import _MODEL
from grassroots.orgs.forms import OrgCodeField

from . import rules
from .choices import FloatingReason, SearchMethod, TransferReason

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label, required=True, help_text=""):
    return forms.DateField(label=label, widget=DATE, required=required, help_text=help_text)


class TransferForm(forms.Form):
    """Issue a letter: the member and the destination are chosen through the searches on the page (their ids)."""

    member = forms.IntegerField(label="党员", widget=forms.HiddenInput, error_messages={"required": "请选择要转出的党员"})
    to_org = forms.IntegerField(label="接收党组织", widget=forms.HiddenInput, required=False)
    to_external = forms.CharField(label="平台外接收党组织", max_length=200, required=False,
                                  help_text="转往平台外（外省市、系统外单位）时填写全称，不选平台内党组织")
    reason = forms.ChoiceField(label="转接原因", choices=[("", "请选择"), *TransferReason.choices])
    issued_on = _date("开具日期")
    valid_days = forms.IntegerField(label="有效期（天）", min_value=1)
    note = forms.CharField(label="备注", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_days"].max_value = rules.max_valid_days()
        self.fields["valid_days"].help_text = f"通常 {rules.default_valid_days()} 天左右，最长 {rules.max_valid_days()} 天"


class AcceptForm(forms.Form):
    place_in = OrgCodeField(label="编入党组织（组织代码）", required=False, help_text="留空则编入接收党组织本身")
    note = forms.CharField(label="备注", max_length=200, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ReissueForm(forms.Form):
    valid_days = forms.IntegerField(label="有效期（天）", min_value=1)


class ReceiptForm(forms.Form):
    received_on = _date("回执日期")


class IncomingForm(forms.Form):
    """A member transferred in from outside the platform: the record and the paper letter."""

    name = _MODEL["name"]
    gender = _MODEL["gender"]
    ethnicity = _MODEL["ethnicity"]
    birth_date = _MODEL["birth_date"]
    id_number = forms.CharField(label="公民身份号码", max_length=18, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    status = _MODEL["status"]
    joined_on = _MODEL["joined_on"]
    full_on = _MODEL["full_on"]
    org = OrgCodeField(label="编入党组织（组织代码）", help_text="本组织或下属党组织的组织代码，可在“查找党组织”中查到")
    from_external = forms.CharField(label="转出党组织", max_length=200)
    letter_number = forms.CharField(label="纸质介绍信编号", max_length=60)
    issued_on = _date("介绍信开具日期")
    valid_days = forms.IntegerField(label="有效期（天）", min_value=1)
    reason = forms.ChoiceField(label="转接原因", choices=[("", "请选择"), *TransferReason.choices])

    MEMBER_FIELDS = ["name", "gender", "ethnicity", "birth_date", "id_number", "phone", "status", "joined_on", "full_on"]

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs

    def member_data(self):
        data = {f: self.cleaned_data[f] for f in self.MEMBER_FIELDS}
        data["state"] = "normal"  # the ID number is normalized by members.services, as for the API
        return data


class FloatingForm(forms.Form):
    member = forms.IntegerField(label="党员", widget=forms.HiddenInput, error_messages={"required": "请选择外出的党员"})
    left_on = _date("外出日期")
    destination = forms.CharField(label="流入地", max_length=200, help_text="省、市、县（区）及单位或住址")
    reason = forms.ChoiceField(label="外出原因", choices=[("", "请选择"), *FloatingReason.choices])
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    contact_address = forms.CharField(label="联系地址", max_length=200, required=False)
    certificate_number = forms.CharField(label="流动党员活动证编号", max_length=60, required=False)
    activity_org = forms.IntegerField(label="参加活动的党组织（平台内）", widget=forms.HiddenInput, required=False)
    activity_org_name = forms.CharField(label="参加活动的党组织（平台外）", max_length=200, required=False,
                                        help_text="流入地不在本平台时填写党组织（流动党员党支部、党员服务中心等）名称")
    note = forms.CharField(label="备注", max_length=500, required=False)


class FloatingEditForm(FloatingForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("member", "left_on", "reason", "activity_org"):
            del self.fields[name]
        self.fields["contact_phone"].help_text = "留空表示不修改"


class ReturnForm(forms.Form):
    returned_on = _date("返回日期")


class LostForm(forms.Form):
    member = forms.IntegerField(label="党员", widget=forms.HiddenInput, error_messages={"required": "请选择失联的党员"})
    last_contact_on = _date("最后联系日期")
    opened_on = _date("登记日期")
    note = forms.CharField(label="失联情况", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SearchForm(forms.Form):
    tried_on = _date("寻找日期")
    method = forms.ChoiceField(label="寻找方式", choices=[("", "请选择"), *SearchMethod.choices])
    searcher = forms.CharField(label="寻找人", max_length=100)
    result = forms.CharField(label="寻找结果", max_length=500)
    found = forms.BooleanField(label="已取得联系", required=False)


class DecisionForm(forms.Form):
    decided_on = _date("决定日期")
    document = forms.CharField(label="决定文号", max_length=100)


class RestoreForm(forms.Form):
    restored_on = _date("恢复联系日期")
    note = forms.CharField(label="情况说明", max_length=200, required=False)
