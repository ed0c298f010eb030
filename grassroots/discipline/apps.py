from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "grassroots.discipline"
    label = "discipline"
    verbose_name = "正风肃纪与减负"
    url_prefix = "discipline/"
    api_prefix = "/discipline"
    public_url_prefix = "gongkai/jubao/"
    demo_after = ("supervision",)
