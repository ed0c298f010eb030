"""Organizational life's notifications (through grassroots.core.notifications): a planned meeting to the members on
its roll, and a reminder to the secretary once per requirement and period."""

from django.urls import reverse
from django.utils import timezone

from grassroots.core.models import Notification
from grassroots.core.notifications import Kind, notify

from .models import Reminder


def meeting_planned(meeting, roll):
    """Tell every member on the planned meeting's roll (a Member queryset) who has a login account."""
    starts = timezone.localtime(meeting.starts_at)  # Asia/Shanghai (settings.TIME_ZONE)
    user_ids = list(roll.filter(user__isnull=False).values_list("user_id", flat=True))
    if not user_ids:
        return 0
    org = meeting.org
    kind = meeting.get_kind_display()
    if meeting.is_special:
        kind = "专题组织生活会"
    lines = [f"时间：{starts:%Y-%m-%d %H:%M}（北京时间）"]
    if meeting.place:
        lines.append(f"地点：{meeting.place}")
    lines.append(f"召开组织：{org.name}")
    return notify(
        user_ids,
        title=f"{org.short_name or org.name}安排了{kind}：{meeting.topic}",
        body="\n".join(lines),
        link=reverse("orglife:meeting_detail", args=[meeting.pk]),
        kind=Kind.MEETING_PLANNED,
        org_path=meeting.org_path,
    )


def reminders_sent(reminders):
    """A notification for each reminder about to be inserted that its secretary has not had yet (the
    reminders table keeps one per requirement and period, and so do the notifications)."""

    if not reminders:
        return 0
    existing = set(
        Reminder.objects.filter(period_end__in={r.period_end for r in reminders}).values_list(
            "user_id", "target_org_id", "kind", "period_end"
        )
    )
    rows, seen = [], set()
    for r in reminders:
        key = (r.user_id, r.target_org_id, r.kind, r.period_end)
        if key in existing or key in seen:
            continue
        seen.add(key)
        rows.append(
            Notification(
                recipient_id=r.user_id, title=f"组织生活提醒：{r.get_kind_display()}尚未登记（期限 {r.period_end:%Y-%m-%d}）"[:200],
                body=r.message, link=reverse("orglife:compliance", args=[r.org_id]), kind=Kind.REMINDER, org_path=r.org_path,
            )
        )
    Notification.objects.bulk_create(rows)
    return len(rows)
