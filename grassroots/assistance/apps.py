from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "grassroots.assistance"
    label = "assistance"
    verbose_name = "驻村联户与结对帮扶"
    url_prefix = "assistance/"
    api_prefix = "/assistance"
