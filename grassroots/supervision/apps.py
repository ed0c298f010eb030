from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "grassroots.supervision"
    label = "supervision"
    verbose_name = "督导与通知"
    url_prefix = "supervision/"
    api_prefix = "/supervision"
    demo_after = ("rectification",)  # the demo 限期整改 is linked to the village's rectification case
