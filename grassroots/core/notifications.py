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
