"""In-platform notifications: every write to `Notification` goes through these functions.

Other apps call `notify()` (or one of the helpers below) at the end of their own service, inside its
transaction, so a rolled-back action leaves no notification behind."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from .models import Notification

Kind = Notification.Kind


def is_local_path(link):
    """True for a path inside this site ("/orglife/12/"); never another host, a scheme or "//host"."""
    return bool(link) and link.startswith("/") and not link.startswith("//") and "\\" not in link and (
        url_has_allowed_host_and_scheme(link, allowed_hosts=None)
    )


def notify(users, *, title, body="", link="", kind=Kind.OTHER, org_path=""):
    """One notification per user (users or user ids; duplicates and None are dropped), in one insert.
    Returns the number created."""
    if link and not is_local_path(link):
        raise ValueError(f"notification link must be a path inside the site: {link!r}")
    ids = list(dict.fromkeys(getattr(u, "pk", u) for u in users if u is not None))
    rows = [
        Notification(recipient_id=uid, title=title[:200], body=body, link=link, kind=kind, org_path=org_path or "")
        for uid in ids
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def unread_count(user):
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def get_for(user, notification_id):
    """The user's own notification, or 404: another user's id looks exactly like a missing one."""
    return get_object_or_404(Notification.objects.visible_to(user), pk=notification_id)


def mark_read(user, notification):
    """Mark one of the user's notifications read (idempotent; the first read time is kept)."""
    if notification.recipient_id != user.pk:
        raise Http404("未找到")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def mark_all_read(user):
    """Mark every unread notification of the user read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# ---- hooks called by other apps' services -------------------------------------------------------


def meeting_planned(meeting):
    """Tell every member on the planned meeting's roll who has a login account."""
    from django.urls import reverse

    from grassroots.orglife.services import roll_members

    starts = timezone.localtime(meeting.starts_at)  # Asia/Shanghai (settings.TIME_ZONE)
    user_ids = [
        uid for uid in roll_members(meeting.org, starts.date()).filter(user__isnull=False).values_list("user_id", flat=True)
    ]
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
    from django.urls import reverse

    from grassroots.orglife.models import Reminder

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
