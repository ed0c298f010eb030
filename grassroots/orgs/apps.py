from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "grassroots.orgs"
    label = "orgs"
    verbose_name = "组织体系"
    url_prefix = "orgs/"
    api_prefix = "/orgs"
