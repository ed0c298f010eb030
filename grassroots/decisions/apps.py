from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "grassroots.decisions"
    label = "decisions"
    verbose_name = "四议两公开"
    url_prefix = "decisions/"
    api_prefix = "/decisions"
    public_url_prefix = "gongkai/matters/"
