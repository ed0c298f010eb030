from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "grassroots.core"
    label = "core"
    verbose_name = "核心"
    url_prefix = ""
    api_prefix = "/"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)
