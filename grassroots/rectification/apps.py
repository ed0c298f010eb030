from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "grassroots.rectification"
    label = "rectification"
    verbose_name = "软弱涣散党组织整顿"
    url_prefix = "rectification/"
    api_prefix = "/rectification"
    demo_after = ("decisions", "development")
