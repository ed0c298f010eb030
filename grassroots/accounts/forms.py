from django import forms

from grassroots.core.roles import Role
from grassroots.orgs.forms import OrgCodeField


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label="密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class PasswordForm(forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), help_text="至少 8 位，不能全是数字，不能与用户名相近")
    new_password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data


class TokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100, help_text="例如：区级数据对接")


class GrantForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    org = OrgCodeField(label="党组织（组织代码）")

    def __init__(self, *args, roles, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        self.fields["org"].queryset = orgs


class UserCreateForm(GrantForm):
    username = forms.RegexField(label="用户名", max_length=150, regex=r"^[\w.@+-]+$", error_messages={"invalid": "用户名只能包含字母、数字和 @ . + - _"})
    full_name = forms.CharField(label="姓名", max_length=50)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), help_text="至少 8 位；请提醒本人登录后修改")

    field_order = ["username", "full_name", "password", "role", "org"]
