import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from grassroots.conftest import login, make_user
from grassroots.core.roles import Role
from grassroots.supervision import services
from grassroots.supervision.choices import FindingState, InterventionKind, InterventionState, Reach
from grassroots.supervision.models import Receipt
from grassroots.tracking import services as tracking

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def village_sj(tree):
    return make_user("village_sj", Role.SECRETARY, tree.village)


@pytest.fixture
def notice(village_sj, people):
    return services.issue_notice(
        village_sj, village_sj.role_assignments.get().org, title="关于开展主题党日的通知", body="请各支部开展。",
        issued_on=today(), receipt_due=today() + datetime.timedelta(days=3), reach=Reach.CHILDREN,
        measures=["召开支委会研究", "开展主题党日"], measures_due=today() + datetime.timedelta(days=30),
    )


def test_notice_reaches_each_child_with_a_task(notice, tree):
    receipts = list(notice.receipts.order_by("org__path"))
    assert [r.org for r in receipts] == [tree.branch_a, tree.branch_b]
    assert all(r.task and r.task.assignee_org == r.org for r in receipts)
    assert notice.task_list.source == "supervision.notice"


def test_receipt_signed_once_and_only_by_its_org(notice, people, tree):
    receipt = notice.receipts.get(org=tree.branch_a)
    with pytest.raises(PermissionDenied):
        services.sign_receipt(people.secretary_b, receipt)
    services.sign_receipt(people.secretary_a, receipt)
    with pytest.raises(ValidationError, match="不能重复签收"):
        services.sign_receipt(people.secretary_a, receipt)


def test_feedback_needs_receipt_and_closing_needs_sign_off(notice, people, tree, village_sj):
    receipt = notice.receipts.get(org=tree.branch_a)
    with pytest.raises(ValidationError, match="请先签收"):
        services.report_feedback(people.secretary_a, receipt, text="已开展")
    services.sign_receipt(people.secretary_a, receipt)
    services.report_feedback(people.secretary_a, receipt, text="已召开支委会并开展主题党日", percent=100, submit=False)
    receipt.refresh_from_db()
    with pytest.raises(ValidationError, match="尚未报请验收"):
        tracking.sign_off(village_sj, receipt.task)
    tracking.submit(people.secretary_a, receipt.task)
    with pytest.raises(PermissionDenied):
        tracking.sign_off(people.secretary_a, receipt.task)
    tracking.sign_off(village_sj, receipt.task)
    receipt.task.refresh_from_db()
    assert receipt.task.state == "done"


def test_reminders_first_second_third_then_stop(notice, tree):
    due = notice.receipt_due
    sent = [services.send_reminders(due + datetime.timedelta(days=d)) for d in range(0, 12)]
    # two unsigned receipts, reminded on day 1, 3 and 7 after the deadline
    assert sent == [0, 2, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0]
    assert set(Receipt.objects.values_list("reminders", flat=True)) == {3}


def test_signed_receipt_not_reminded(notice, people, tree):
    services.sign_receipt(people.secretary_a, notice.receipts.get(org=tree.branch_a))
    assert services.send_reminders(notice.receipt_due + datetime.timedelta(days=1)) == 1


def test_completion_table_page_and_export(client, notice, village_sj, people, tree):
    services.sign_receipt(people.secretary_a, notice.receipts.get(org=tree.branch_a))
    login(client, village_sj)
    page = client.get(reverse("supervision:notice_table", args=[notice.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "新村第一党支部" in text and "completion-data" in text
    assert "已签收 <strong>1</strong>" in text
    export = client.get(reverse("supervision:notice_table_export", args=[notice.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_receiving_branch_sees_only_its_receipt(client, notice, people):
    login(client, people.secretary_b)
    text = client.get(reverse("supervision:notice", args=[notice.pk])).content.decode()
    assert "新村第二党支部" in text and "新村第一党支部" not in text


def test_notice_list_query_count(client, django_assert_max_num_queries, village_sj, notice):
    login(client, village_sj)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("supervision:home")).status_code == 200


@pytest.fixture
def visit(people, tree):
    group = services.create_group(people.dept_a, tree.district_a, name="第一督导组", leader_name="陈组长")
    return services.plan_visit(people.supervisor, group, tree.village, planned_on=today(), purpose="检查组织生活")


def test_supervisor_plans_finds_and_orders_then_verifies(visit, people, tree):
    f = services.record_finding(people.supervisor, visit, kind="orglife", text="支委会记录不全", found_on=today(), responsible_name="王书记")
    order = services.issue_intervention(people.supervisor, f, kind=InterventionKind.ORDER, text="一个月内补齐", issued_on=today(),
                                        due_on=today() + datetime.timedelta(days=30))
    f.refresh_from_db()
    assert f.state == FindingState.RECTIFYING
    with pytest.raises(ValidationError, match="尚未报告"):
        services.verify_order(people.supervisor, order, accepted=True, note="好")
    village_sj = make_user("vsj", Role.SECRETARY, tree.village)
    services.report_rectified(village_sj, order, result="已补齐")
    with pytest.raises(PermissionDenied, match="不能自行验收"):
        services.verify_order(village_sj, order, accepted=True, note="自己验收")
    services.verify_order(people.supervisor, order, accepted=True, note="验收通过")
    f.refresh_from_db()
    order.refresh_from_db()
    assert order.state == InterventionState.CLOSED and f.state == FindingState.CLOSED


def test_accountability_is_referred_upward(visit, people, tree):
    f = services.record_finding(people.supervisor, visit, kind="style", text="作风粗暴", found_on=today())
    item = services.issue_intervention(people.supervisor, f, kind=InterventionKind.ACCOUNTABILITY, text="建议追责", issued_on=today(),
                                       person_name="某某")
    assert item.referred_to == tree.city and item.state == InterventionState.REFERRED
    with pytest.raises(PermissionDenied):
        services.decide_referral(people.dept_a, item, decision="诫勉", decided_on=today())
    services.decide_referral(people.city_dept, item, decision="诫勉谈话", decided_on=today())


def test_finding_not_closed_while_order_open(visit, people):
    f = services.record_finding(people.supervisor, visit, kind="orglife", text="问题", found_on=today())
    services.issue_intervention(people.supervisor, f, kind=InterventionKind.ORDER, text="整改", issued_on=today(), due_on=today() + datetime.timedelta(days=9))
    with pytest.raises(ValidationError, match="未验收"):
        services.close_finding(people.supervisor, f, note="销号")


def test_org_history_lists_and_sibling_refused(client, visit, people, tree):
    f = services.record_finding(people.supervisor, visit, kind="orglife", text="支委会记录不全", found_on=today(), responsible_name="王书记",
                                org=tree.branch_a)
    login(client, people.secretary_a)
    text = client.get(reverse("supervision:org_history", args=[tree.branch_a.pk])).content.decode()
    assert "支委会记录不全" in text and "王书记" in text
    login(client, people.secretary_b)
    assert client.get(reverse("supervision:org_history", args=[tree.branch_a.pk])).status_code in (403, 404)
    assert client.get(reverse("supervision:finding", args=[f.pk])).status_code == 404


def test_assignment_tasks_closed_only_with_sign_off(people, tree):
    a = services.create_assignment(people.dept_a, tree.district_a, title="完成阵地建设", due_on=today() + datetime.timedelta(days=10),
                                   assignees=[tree.town])
    task = a.task_list.tasks.get()
    town_sj = make_user("town_sj", Role.SECRETARY, tree.town)
    tracking.report_progress(town_sj, task, percent=100, text="完成", reported_on=today())
    with pytest.raises(ValidationError):
        tracking.sign_off(people.dept_a, task)
    tracking.submit(town_sj, task)
    tracking.return_for_rework(people.dept_a, task, "照片不全")
    tracking.submit(town_sj, task)
    tracking.sign_off(people.dept_a, task)


def test_assignee_cannot_close_its_own_task(client, people, tree):
    """Closing a supervised task needs the issuer's sign-off: a 100 % report does not close it, and the assignee's
    own 签字办结 is refused on the service and on the page."""
    a = services.create_assignment(people.dept_a, tree.district_a, title="完成阵地建设", due_on=today() + datetime.timedelta(days=10),
                                   assignees=[tree.town])
    task = a.task_list.tasks.get()
    town_sj = make_user("town_sj", Role.SECRETARY, tree.town)
    tracking.report_progress(town_sj, task, percent=100, text="完成", reported_on=today())
    task.refresh_from_db()
    assert task.state == "open"
    tracking.submit(town_sj, task)
    with pytest.raises(PermissionDenied, match="签字确认"):
        tracking.sign_off(town_sj, task)
    login(client, town_sj)
    client.post(reverse("tracking:task_act", args=[task.pk]), {"action": "sign_off"})
    task.refresh_from_db()
    assert task.state == "submitted" and task.done_on is None
    login(client, people.dept_a)
    assert "已报请验收" in client.get(reverse("supervision:assignment", args=[a.pk])).content.decode()


def test_overdue_tasks_rolled_up_to_the_children(client, people, tree):
    services.create_assignment(people.dept_a, tree.district_a, title="逾期事项", due_on=today() - datetime.timedelta(days=1), assignees=[tree.town])
    login(client, people.dept_a)
    page = client.get(reverse("supervision:assignments") + f"?org={tree.district_a.pk}").content.decode()
    assert "中共湖塘镇委员会" in page and "逾期未办结任务共 <strong>1</strong>" in page
    export = client.get(reverse("supervision:assignments_export") + f"?org={tree.district_a.pk}")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "逾期事项" and rows[1][3] == "中共湖塘镇委员会" and rows[1][6] == "逾期"
    login(client, people.secretary_a)
    assert client.get(reverse("supervision:assignments_export") + f"?org={tree.district_a.pk}").status_code in (403, 404)


def test_order_linked_to_rectification_case_both_ways(client, visit, people, tree):
    from grassroots.rectification import services as rectification

    case = rectification.open_case(people.dept_a, tree.village, year=today().year, problems=["secretary_vacant"],
                                   due_on=today() + datetime.timedelta(days=90))
    tianning = make_user("tianning_zzb", Role.ORG_DEPT, tree.district_b)
    elsewhere = rectification.open_case(tianning, tree.b_branch, year=today().year, problems=["secretary_vacant"],
                                        due_on=today() + datetime.timedelta(days=90))
    f = services.record_finding(people.supervisor, visit, kind="orglife", text="支委会记录不全", found_on=today())
    order = services.issue_intervention(people.supervisor, f, kind=InterventionKind.ORDER, text="一个月内补齐", issued_on=today(),
                                        due_on=today() + datetime.timedelta(days=30))
    talk = services.issue_intervention(people.supervisor, f, kind=InterventionKind.TALK, text="约谈书记", issued_on=today(), person_name="王书记",
                                       talked_on=today(), talker_name="陈组长")
    assert list(services.linkable_cases(people.supervisor, order)) == [case]
    with pytest.raises(ValidationError, match="整顿台账"):
        services.link_case(people.supervisor, order, elsewhere)
    with pytest.raises(ValidationError, match="只有限期整改"):
        services.link_case(people.supervisor, talk, case)
    village_sj = make_user("vsj", Role.SECRETARY, tree.village)
    with pytest.raises(PermissionDenied):
        services.link_case(village_sj, order, case)
    login(client, people.dept_a)
    url = reverse("supervision:intervention", args=[order.pk])
    assert f'value="{case.pk}"' in client.get(url).content.decode()
    client.post(url, {"action": "case", "case": case.pk})
    order.refresh_from_db()
    assert order.rectification_case == case
    page = client.get(url).content.decode()
    assert reverse("rectification:case", args=[case.pk]) in page
    history = client.get(reverse("supervision:org_history", args=[tree.village.pk])).content.decode()
    assert "落实督导限期整改 1 项" in history and reverse("rectification:case", args=[case.pk]) in history
    # the case's side, without rectification importing supervision: its timeline and the foreign key's related_name
    assert list(case.supervision_orders.all()) == [order]
    case_page = client.get(reverse("rectification:case", args=[case.pk])).content.decode()
    assert "督导限期整改" in case_page and url in case_page
    case_page = client.get(reverse("rectification:case", args=[case.pk])).content.decode()
    assert "关联督导限期整改" in case_page and "一个月内补齐" in case_page
    services.report_rectified(village_sj, order, result="已补齐")
    services.verify_order(people.supervisor, order, accepted=True, note="验收通过")
    assert case.events.filter(label="督导限期整改验收销号").exists()


def test_api_notice_sign_once_and_findings_out_of_scope(api, people, tree, village_sj):
    api.as_user(village_sj)
    created = api.send("post", "/supervision/notices", {
        "org_id": tree.village.pk, "title": "关于学习的通知", "body": "请学习。", "issued_on": today().isoformat(),
        "receipt_due": (today() + datetime.timedelta(days=2)).isoformat(), "measures": ["组织学习"],
        "measures_due": (today() + datetime.timedelta(days=9)).isoformat(),
    })
    assert created.status_code == 201 and created.json()["receipts"] == 2
    receipt = Receipt.objects.get(org=tree.branch_a)
    api.as_user(people.secretary_a)
    assert api.send("post", f"/supervision/receipts/{receipt.pk}/sign", {}).status_code == 200
    again = api.send("post", f"/supervision/receipts/{receipt.pk}/sign", {})
    assert again.status_code == 422 and "不能重复签收" in again.content.decode()
    other = Receipt.objects.get(org=tree.branch_b)
    assert api.send("post", f"/supervision/receipts/{other.pk}/sign", {}).status_code == 404
    assert api.get(f"/supervision/orgs/{tree.branch_b.pk}/findings").status_code == 404


def test_api_assignments_and_referral_decided_above(api, visit, people, tree):
    api.as_user(people.dept_a)
    due = (today() + datetime.timedelta(days=5)).isoformat()
    created = api.send("post", "/supervision/assignments", {"org_id": tree.district_a.pk, "title": "阵地建设", "due_on": due,
                                                            "assignee_ids": [tree.town.pk]})
    assert created.status_code == 201 and created.json()["tasks"] == 1
    outside = api.send("post", "/supervision/assignments", {"org_id": tree.district_a.pk, "title": "越界", "due_on": due,
                                                            "assignee_ids": [tree.b_branch.pk]})
    assert outside.status_code == 422
    assert api.get("/supervision/assignments").json()["count"] == 1
    f = services.record_finding(people.supervisor, visit, kind="style", text="作风粗暴", found_on=today())
    item = services.issue_intervention(people.supervisor, f, kind=InterventionKind.ACCOUNTABILITY, text="建议追责", issued_on=today(),
                                       person_name="某某")
    body = {"decision": "诫勉谈话", "decided_on": today().isoformat()}
    assert api.send("post", f"/supervision/interventions/{item.pk}/decide", body).status_code == 403
    api.as_user(people.city_dept)
    decided = api.send("post", f"/supervision/interventions/{item.pk}/decide", body)
    assert decided.status_code == 200 and decided.json()["state"] == InterventionState.DECIDED
