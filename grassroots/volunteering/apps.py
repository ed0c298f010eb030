from django.apps import AppConfig


class VolunteeringConfig(AppConfig):
    name = "grassroots.volunteering"
    label = "volunteering"
    verbose_name = "在职党员到社区报到"
    url_prefix = "volunteering/"
    api_prefix = "/volunteering"
