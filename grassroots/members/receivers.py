"""What members does when the organization tree changes (signals of grassroots/orgs/signals.py)."""

from django.dispatch import receiver

from grassroots.core.errors import ValidationError
from grassroots.orgs.signals import dissolving

from .models import Member


@receiver(dissolving)
def refuse_dissolving_with_members(sender, org, **kwargs):
    remaining = Member.objects.in_register().filter(org=org).count()
    if remaining:
        raise ValidationError(f"该组织还有 {remaining} 名党员，请先转接其组织关系")
