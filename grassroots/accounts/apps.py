from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "grassroots.accounts"
    label = "accounts"
    verbose_name = "账号与角色"
    url_prefix = "accounts/"
    api_prefix = "/accounts"
