from django import forms

from . import rules
from .choices import Flag, TalkKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TalkForm(forms.Form):
    held_on = forms.DateField(label="谈话日期", widget=DATE)
    kind = forms.ChoiceField(label="谈话类型", choices=TalkKind.choices)
    talker_name = forms.CharField(label="谈话人", max_length=50)
    talker_title = forms.CharField(label="谈话人职务", max_length=50, required=False, help_text="如：支部书记、支部委员")
    place = forms.CharField(label="谈话地点", max_length=100, required=False)
    topic = forms.CharField(label="谈话主题", max_length=200)
    summary = forms.CharField(label="谈话内容摘要", widget=forms.Textarea(attrs={"rows": 5}))
    reasons = forms.MultipleChoiceField(label="谈话缘由", choices=Flag.choices, required=False, widget=forms.CheckboxSelectMultiple,
                                        help_text="由工作清单进入时已按该党员的提示勾选；日常谈心谈话可不选")
    follow_up = forms.CharField(label="后续措施", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    follow_up_due = forms.DateField(label="措施完成期限", required=False, widget=DATE, help_text=f"填写了后续措施而未填期限的，默认谈话后 {rules.DEFAULT_FOLLOW_UP_DAYS} 天")


class AmendForm(TalkForm):
    reason = forms.CharField(label="更正理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["reason"]


class FollowUpForm(forms.Form):
    follow_up_done_on = forms.DateField(label="完成日期", widget=DATE)
    follow_up_result = forms.CharField(label="措施落实情况", widget=forms.Textarea(attrs={"rows": 3}))
