"""Warning signals about villages (grassroots/core/alerting.py): read by rectification's screening and supervision."""

import datetime

from django.db.models import F

from grassroots.core import scoping
from grassroots.core.alerting import Alert

from . import coverage, rules
from .choices import StationState
from .models import Attendance

KINDS = {
    "assistance.needy_without_pair": "贫困村或整顿村没有结对帮扶单位",
    "assistance.attendance_below_minimum": "驻村干部上月在村天数不足",
}


def alerts(paths, today):
    result = []
    for path in paths:
        for org_id, why, since in coverage.needy_without_pair(path):
            result.append(Alert(org_id=org_id, kind="assistance.needy_without_pair", label=KINDS["assistance.needy_without_pair"],
                                evidence=f"{why}，无在帮扶的结对单位", url="/assistance/", since=since))
    last = (rules.month_start(today) - datetime.timedelta(days=1)).replace(day=1)
    q = scoping.path_q("org_path", paths)
    rows = (Attendance.objects.filter(q, month=last, stationing__state=StationState.ACTIVE).filter(days__lt=F("required"))
            .select_related("stationing"))
    for a in rows:
        result.append(Alert(org_id=a.stationing.village_id, kind="assistance.attendance_below_minimum", label=KINDS["assistance.attendance_below_minimum"],
                            evidence=f"{a.stationing.name} {last:%Y-%m} 在村 {a.days} 天（最低 {a.required} 天）",
                            url=f"/assistance/attendance/?month={last:%Y-%m}", since=last, count=a.required - a.days))
    return result
