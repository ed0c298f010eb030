from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "grassroots.members"
    label = "members"
    verbose_name = "党员"
    url_prefix = "members/"
    api_prefix = "/members"
