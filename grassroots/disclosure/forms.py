from django import forms

from . import rules
from .choices import ROUTINE_CATEGORIES, Frequency


class QuestionForm(forms.Form):
    name = forms.CharField(label="称呼（可不填）", max_length=rules.QUESTION_NAME_MAX_CHARS, required=False)
    text = forms.CharField(
        label="您的问题", min_length=rules.QUESTION_MIN_CHARS, max_length=rules.QUESTION_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写问题", "min_length": f"问题至少 {rules.QUESTION_MIN_CHARS} 个字",
                        "max_length": f"问题不能超过 {rules.QUESTION_MAX_CHARS} 字"},
    )
    # A honeypot: hidden from people (and from screen readers), filled in only by robots.
    website = forms.CharField(label="请勿填写此项", required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [d for d in data if d]
        return [data] if data else []


class PublishForm(forms.Form):
    category = forms.ChoiceField(label="公开类别", choices=[(c.value, c.label) for c in ROUTINE_CATEGORIES])
    title = forms.CharField(label="标题", max_length=200)
    period_key = forms.ChoiceField(label="所属期间", required=False)
    body = forms.CharField(label="公开内容", widget=forms.Textarea(attrs={"rows": 8}))
    min_posting_days = forms.IntegerField(label="最短公示天数", min_value=1, max_value=rules.MIN_POSTING_DAYS_MAX)
    table_text = forms.CharField(
        label="收支明细（财务公开：每行“项目,收入,支出”）", required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="例如：上级转移支付,120000.00,0 ；或上传 Excel（表头含 项目、收入、支出，可有“合计”行用于核对）",
    )
    table_file = forms.FileField(label="收支明细 Excel", required=False, widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    attachments = MultipleFileField(label="附件（照片或 PDF，可多选）", required=False)


class CorrectForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="公开内容", widget=forms.Textarea(attrs={"rows": 8}))
    reason = forms.CharField(label="更正理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    table_text = forms.CharField(label="收支明细（每行“项目,收入,支出”）", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(label="附件（照片或 PDF，可多选；原版本附件仍保留在原版本中）", required=False)


class ScheduleForm(forms.Form):
    category = forms.ChoiceField(label="公开类别", choices=[(c.value, c.label) for c in ROUTINE_CATEGORIES])
    frequency = forms.ChoiceField(label="公开频次", choices=Frequency.choices)
    due_days = forms.IntegerField(label="期满后几日内公开", min_value=0, max_value=rules.DUE_DAYS_MAX)
    starts_on = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    is_active = forms.BooleanField(label="启用", required=False, initial=True)


def table_to_text(table):
    if not table:
        return ""
    return "\n".join(f"{r['item']},{r['income']},{r['expenditure']}" for r in table["rows"])


def text_to_rows(text):
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("，", ",").replace("\t", ",").split(",")]
        parts += [""] * (3 - len(parts))
        rows.append({"item": parts[0], "income": parts[1], "expenditure": parts[2]})
    return rows

