from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "grassroots.assessment"
    label = "assessment"
    verbose_name = "述职评议考核"
    url_prefix = "assessment/"
    api_prefix = "/assessment"
