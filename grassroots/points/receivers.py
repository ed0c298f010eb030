"""Points follow the records of other apps the moment they change (the nightly recompute is the backstop)."""

from django.dispatch import receiver

from grassroots.volunteering.signals import service_confirmed


@receiver(service_confirmed, dispatch_uid="points_from_confirmed_service")
def points_for_confirmed_service(sender, log, **kwargs):
    """双报到: hours the community confirmed earn the member's 志愿服务 points (source 社区服务记录) at once."""
    from .services import recompute_points

    recompute_points(log.member, log.year)
