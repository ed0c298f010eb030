from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "grassroots.tracking"
    label = "tracking"
    verbose_name = "任务与进度"
    url_prefix = "tracking/"
    api_prefix = "/tracking"
