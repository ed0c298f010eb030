from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "grassroots.disclosure"
    label = "disclosure"
    verbose_name = "公开"
    url_prefix = "disclosure/"
    api_prefix = "/disclosure"
    public_url_prefix = "gongkai/"
    demo_after = ("decisions",)
