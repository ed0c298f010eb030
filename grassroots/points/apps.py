from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "grassroots.points"
    label = "points"
    verbose_name = "积分与星级"
    url_prefix = "points/"
    api_prefix = "/points"
    demo_after = ("dues",)

    def ready(self):
        from . import receivers  # noqa: F401  (connects to other apps' signals)
