from django import forms

from .choices import AttendanceStatus, MeetingKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(forms.Form):
    """Plan or record a meeting; the roll is read separately (roll_from_post)."""

    kind = forms.ChoiceField(label="会议类型", choices=MeetingKind.choices)
    is_special = forms.BooleanField(label="专题组织生活会", required=False)
    starts_at = forms.DateTimeField(label="会议时间", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label="会议地点", max_length=200, required=False)
    topic = forms.CharField(label="会议主题", max_length=200)
    host = forms.ModelChoiceField(label="主持人", queryset=None, required=False)
    recorder = forms.ModelChoiceField(label="记录人", queryset=None, required=False)
    lecturer = forms.CharField(label="授课人（党课）", max_length=100, required=False)
    agenda = forms.CharField(label="会议议程", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label="会议记录", required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, people, recording, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = people
        self.fields["recorder"].queryset = people
        if kinds is not None:
            self.fields["kind"].choices = [(k, MeetingKind(k).label) for k in kinds]
        if recording:
            self.fields["minutes"].required = True
        else:
            del self.fields["minutes"]


class AmendForm(MeetingForm):
    reason = forms.CharField(label="更正理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["reason"]


class ConfirmForm(forms.Form):
    pass


def roll_from_post(post, roll):
    """{member_id: {"status", "leave_reason", "as_ordinary_member"}} from the roll's inputs (status_<id>, ...)."""
    result = {}
    for member in roll:
        status = post.get(f"status_{member.pk}", "")
        result[member.pk] = {
            "status": status if status in AttendanceStatus.values else "",
            "leave_reason": post.get(f"reason_{member.pk}", ""),
            "as_ordinary_member": post.get(f"ordinary_{member.pk}") == "1",
        }
    return result


class AttachmentForm(forms.Form):
    """One file for a meeting; the service checks its type, bytes and size."""

    file = forms.FileField(label="附件", help_text="照片（jpg、png）、PDF 或 Word 文件")
