"""The 双报到 card of a member's record page (members/detail.html): where the member is registered, this year's
confirmed hours and the communities' evaluations, for 民主评议 and awards. Read-only; the page's own scoping decides
who sees the member, and these rows follow the member."""

from django import template
from django.utils import timezone

from .. import rules, services
from ..choices import RegState
from ..models import Registration

register = template.Library()


@register.inclusion_tag("volunteering/_record_card.html")
def volunteering_record_card(member, year=None):
    year = year or timezone.localdate().year
    record = services.member_evaluations(member, year)
    current = services.current_registration(member)
    last = current or Registration.objects.filter(member=member).exclude(state=RegState.REJECTED).select_related("community").first()
    return {"member": member, "year": year, "registration": last, "hours": record["hours"], "evaluations": record["evaluations"],
            "min_hours": rules.min_hours(), "in_service": member.in_service}
