from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "grassroots.orgs"
    label = "orgs"
    verbose_name = "组织体系"
    url_prefix = "orgs/"
    api_prefix = "/orgs"

    def ready(self):
        from . import summaries

        summaries.connect_sources()  # every app's rollups.py: changes mark the kept summary figures stale
