from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "grassroots.dues"
    label = "dues"
    verbose_name = "党费"
    url_prefix = "dues/"
    api_prefix = "/dues"
