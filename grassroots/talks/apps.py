from django.apps import AppConfig


class TalksConfig(AppConfig):
    name = "grassroots.talks"
    label = "talks"
    verbose_name = "谈心谈话"
    url_prefix = "talks/"
    api_prefix = "/talks"
    demo_after = ("dues", "relations")
