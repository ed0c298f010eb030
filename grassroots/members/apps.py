from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "grassroots.members"
    label = "members"
    verbose_name = "党员"
    url_prefix = "members/"
    api_prefix = "/members"

    def ready(self):
        from grassroots.orgs import figures

        from . import receivers, stats  # noqa: F401  (receivers connects the signal handlers)

        figures.provide_member_counts(stats)
