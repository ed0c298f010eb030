from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "grassroots.disclosure"
    label = "disclosure"
    verbose_name = "公开"
