"""Overdue disclosures of matters, notified to the village secretary and the township (kind "disclosure")."""

from django.db import transaction

from grassroots.core import notifications
from grassroots.core.models import Notification

from . import queries, rules, services
from .models import Matter


def _body(matter, kind):
    if kind == "resolution":
        return f"决议日期 {matter.resolved_on:%Y-%m-%d}，应在 {rules.resolution_disclosure_days()} 天内公开决议。"
    if kind == "result":
        return f"计划完成日期 {matter.planned_completion:%Y-%m-%d}，实施结果尚未公开。"
    return f"最近一次公开 {matter.last_disclosed_on:%Y-%m-%d}，实施情况应至少每 {rules.progress_disclosure_days()} 天更新一次。"


@transaction.atomic
def send(today):
    """One notification per overdue matter and recipient, not repeated while the same lapse lasts. Returns how many."""
    matters = queries.with_overdue(Matter.objects.filter(queries.overdue_q(today)), today).select_related("org").order_by("id")
    sent = 0
    for matter in matters:
        label = queries.overdue_label(matter.overdue)
        title = f"{label}：{matter.title}（{matter.org.short_name or matter.org.name}）"
        body = _body(matter, matter.overdue)
        link = matter.get_absolute_url()
        recipients = set(services.village_users(matter.org)) | set(services.township_users(matter.org))
        already = set(Notification.objects.filter(recipient_id__in=recipients, title=title[:200], body=body, link=link).values_list("recipient_id", flat=True))
        sent += notifications.notify(recipients - already, title=title, body=body, link=link, kind=notifications.Kind.DISCLOSURE,
                                     org_path=matter.org_path)
    return sent
