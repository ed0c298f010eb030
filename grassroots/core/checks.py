from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def personal_data_keys(app_configs, **kwargs):
    """`manage.py check --deploy` warns when personal data would be encrypted with keys derived from SECRET_KEY."""
    problems = []
    if not settings.DATA_KEYS:
        problems.append(Warning("GRASSROOTS_DATA_KEYS 未设置：个人信息使用由 SECRET_KEY 派生的密钥加密", id="grassroots.W001"))
    if not settings.HASH_KEY:
        problems.append(Warning("GRASSROOTS_HASH_KEY 未设置：查询哈希使用由 SECRET_KEY 派生的密钥", id="grassroots.W002"))
    return problems
