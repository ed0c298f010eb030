from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ReportForm(forms.Form):
    percent = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100)
    reported_on = forms.DateField(label="报送日期", widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label="进展情况", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    files = MultipleFileField(label="照片或材料", required=False, help_text="可多选：照片、PDF、Word、Excel")


class TaskForm(forms.Form):
    title = forms.CharField(label="任务内容", max_length=300)
    detail = forms.CharField(label="具体要求", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    assignee_org = forms.TypedChoiceField(label="责任单位", required=False, coerce=int, empty_value=None)
    responsible_name = forms.CharField(label="责任人", max_length=50, required=False)
    starts_on = forms.DateField(label="开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(label="完成时限", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee_org"].choices = [("", "（下达单位自己）")] + [(o.pk, o.name) for o in orgs]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500, required=False)
    due_on = forms.DateField(label="新的完成时限", required=False, widget=forms.DateInput(attrs={"type": "date"}))
