"""The monthly attendance check: cadres of last month without a record or below the minimum; their township is told."""

import datetime

from django.db.models import F

from grassroots.accounts.models import User
from grassroots.core.models import Notification
from grassroots.core.notifications import notify
from grassroots.core.roles import MANAGING_ROLES
from grassroots.orgs.models import Organization

from . import rules
from .choices import StationState
from .models import Attendance, Stationing


def attendance_check(today):
    """Notify each township's managers of last month's missing or short attendance. Returns (missing, short) counts."""
    month = (rules.month_start(today) - datetime.timedelta(days=1)).replace(day=1)
    active = Stationing.objects.filter(state=StationState.ACTIVE, started_on__lt=rules.month_start(today))
    missing = list(active.exclude(pk__in=Attendance.objects.filter(month=month).values("stationing_id")).values_list("org_path", "name"))
    short = list(Attendance.objects.filter(month=month, days__lt=F("required"), stationing__state=StationState.ACTIVE)
                 .values_list("org_path", "stationing__name", "days", "required"))
    by_township = {}
    for path, name in missing:
        by_township.setdefault(path[: -Organization.steplen], []).append(f"{name} 未填报")
    for path, name, days, required in short:
        by_township.setdefault(path[: -Organization.steplen], []).append(f"{name} {days}/{required} 天")
    townships = {o.path: o for o in Organization.objects.filter(path__in=list(by_township))}
    managers = {}
    for user_id, path in User.objects.filter(role_assignments__org__path__in=list(by_township), role_assignments__role__in=MANAGING_ROLES).values_list(
            "pk", "role_assignments__org__path"):
        managers.setdefault(path, []).append(user_id)
    for path, lines in by_township.items():
        users = list(User.objects.filter(pk__in=managers.get(path, [])))
        if users and path in townships:
            notify(users, title=f"{month:%Y年%-m月}驻村干部在村考勤：{len(lines)} 人需关注", body="；".join(lines),
                   link=f"/assistance/attendance/?month={month:%Y-%m}&org={townships[path].pk}", kind=Notification.Kind.ASSISTANCE, org_path=path)
    return len(missing), len(short)
