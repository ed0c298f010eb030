from django import forms

from . import figures
from .models import Organization, Post
from .services import ORG_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ORG_FIELDS
        widgets = {"established_on": DATE, "term_start": DATE, "term_end": DATE}
        help_texts = {"code": "全市唯一，例如 D32040001", "term_end": "村、社区党组织每届 5 年，其他党支部一般 3 年"}


class OrgCodeField(forms.CharField):
    """An organization chosen by its code, limited to a queryset (the user's scope)."""

    def __init__(self, *args, queryset=None, **kwargs):
        self.queryset = queryset
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("widget", forms.TextInput(attrs={"data-org-code": "1", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        org = self.queryset.filter(code=code.strip()).first() if self.queryset is not None else None
        if org is None:
            raise forms.ValidationError("找不到该组织代码，或该组织不在您的管理范围内")
        return org


class MoveForm(forms.Form):
    parent = OrgCodeField(label="新的上级党组织（组织代码）")

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = queryset


class DissolveForm(forms.Form):
    dissolved_on = forms.DateField(label="撤销日期", widget=DATE)
    reason = forms.CharField(label="撤销原因", max_length=255, widget=forms.Textarea(attrs={"rows": 3}))


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["title", "holder", "started_on", "note"]
        widgets = {"started_on": DATE}

    def __init__(self, *args, holders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = holders
        self.fields["holder"].label_from_instance = lambda m: f"{m.name}（{m.org.short_name or m.org.name}）"


class EndPostForm(forms.Form):
    ended_on = forms.DateField(label="离任日期", widget=DATE)


def post_holder_choices(user, org):
    """Members who may hold a post of `org`: those of the organization itself and of its direct children."""
    return (
        figures.holder_model().objects.visible_to(user)
        .in_register()
        .filter(org_path__startswith=org.path, org__depth__lte=org.depth + 1)
        .select_related("org")
        .order_by("initials", "id")
    )
