from django.apps import AppConfig


class RelationsConfig(AppConfig):
    name = "grassroots.relations"
    label = "relations"
    verbose_name = "组织关系"
    url_prefix = "relations/"
    api_prefix = "/relations"
