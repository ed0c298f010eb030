"""This app's lines in the home page's to-do panel (grassroots/core/todos.py)."""

import datetime

from django.urls import reverse

from grassroots.core import scoping
from grassroots.core.todos import Todo

from . import rules
from .choices import LeaveState, StationState
from .models import Attendance, Leave, PoorVillage, Stationing


def lines(user, org, today):
    manage = scoping.manage_paths(user)
    leaves = Leave.objects.filter(state=LeaveState.PENDING, approver_path__startswith=org.path).filter(scoping.path_q("approver_path", manage))
    last = (rules.month_start(today) - datetime.timedelta(days=1)).replace(day=1)
    unreported = (Stationing.objects.visible_to(user).filter(org_path__startswith=org.path, state=StationState.ACTIVE, started_on__lt=rules.month_start(today))
                  .exclude(pk__in=Attendance.objects.filter(month=last).values("stationing_id")))
    unpaired = (PoorVillage.objects.filter(scoping.path_q("org_path", scoping.record_paths(user)), org_path__startswith=org.path, lifted_on__isnull=True)
                .exclude(village__pairings_received__state="active"))
    return [
        Todo("驻村帮扶", "待我审批的驻村干部请假", leaves.count(), reverse("assistance:leave_list")),
        Todo("驻村帮扶", f"{last:%Y年%-m月}未填报在村考勤的驻村干部", unreported.count(), f"{reverse('assistance:attendance_report')}?month={last:%Y-%m}"),
        Todo("驻村帮扶", "没有结对单位的贫困村", unpaired.count(), reverse("assistance:coverage")),
    ]
