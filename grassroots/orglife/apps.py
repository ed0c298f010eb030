from django.apps import AppConfig


class OrglifeConfig(AppConfig):
    name = "grassroots.orglife"
    label = "orglife"
    verbose_name = "组织生活"
    url_prefix = "orglife/"
    api_prefix = "/orglife"
