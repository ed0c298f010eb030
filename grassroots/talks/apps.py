from django.apps import AppConfig


class TalksConfig(AppConfig):
    name = "grassroots.talks"
    label = "talks"
    verbose_name = "谈心谈话"
