from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "grassroots.dashboard"
    label = "dashboard"
    verbose_name = "首页"
    url_prefix = ""
    api_prefix = "/"
