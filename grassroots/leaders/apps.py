from django.apps import AppConfig


class LeadersConfig(AppConfig):
    name = "grassroots.leaders"
    label = "leaders"
    verbose_name = "带头人队伍"
    url_prefix = "leaders/"
    api_prefix = "/leaders"
    demo_after = ("decisions", "disclosure")
