import datetime

import pytest
from django.utils import timezone

from grassroots.conftest import make_org, make_user
from grassroots.core.roles import Role
from grassroots.orgs.choices import Category, Kind
from grassroots.rectification.models import Case
from grassroots.rectification.synthetic import generate_demo as rectification_demo
from grassroots.supervision.choices import InterventionKind, InterventionState
from grassroots.supervision.models import Assignment, Intervention, Notice, Receipt
from grassroots.supervision.synthetic import generate_demo
from grassroots.tracking.choices import TaskState

pytestmark = pytest.mark.django_db


def test_demo_through_the_services(tree, people):
    make_user("town_sj", Role.SECRETARY, tree.town)
    village_sj = make_user("village_sj", Role.SECRETARY, tree.village)
    make_user("supervisor_dd", Role.SUPERVISOR, tree.district_a)
    for i, name in enumerate(("中共牛塘镇委员会", "中共洛阳镇委员会")):
        make_org(people.admin, tree.district_a, name, f"C029{i}", Kind.COMMITTEE, Category.AGENCY)
    today = timezone.localdate()
    lines = []
    rectification_demo(today, 7, lines.append)
    generate_demo(today, 7, lines.append)
    assert "通知 2 份" in lines[-1]
    district_notice = Notice.objects.get(org=tree.district_a)
    own = district_notice.receipts.get(org=tree.town)
    assert own.signed_at and own.signed_late() and own.task.state == TaskState.DONE
    unsigned = list(district_notice.receipts.filter(signed_at__isnull=True))
    assert unsigned and all(r.reminders == 3 for r in unsigned)
    assert Receipt.objects.filter(notice__org=tree.town, org=tree.village, signed_at__isnull=True).exists()
    upgrade = Assignment.objects.get(title="村级党群服务中心提档升级")
    assert upgrade.task_list.tasks.get(assignee_org=tree.town).state == TaskState.DONE
    late = Assignment.objects.get(due_on__lt=today)
    assert late.task_list.tasks.exclude(state=TaskState.DONE).count() == 2
    order = Intervention.objects.get(kind=InterventionKind.ORDER)
    assert order.state == InterventionState.REPORTED and order.rectification_case == Case.objects.get(org=tree.village)
    assert order.rectification_case.events.filter(label="关联督导限期整改").exists()
    assert Intervention.objects.get(kind=InterventionKind.ACCOUNTABILITY).state == InterventionState.DECIDED
    assert village_sj.pk  # the village's secretary reported the order's result
    assert (today - datetime.timedelta(days=10)) == order.finding.found_on
