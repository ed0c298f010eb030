import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from grassroots.conftest import make_member, make_org
from grassroots.core.models import AuditLog
from grassroots.orglife import services
from grassroots.orglife.choices import MeetingKind, MeetingState
from grassroots.orglife.models import Attendance, Meeting, MeetingAmendment

from .factories import at, held

pytestmark = pytest.mark.django_db


def last_month_at(day=5, hour=10):
    today = timezone.localdate()
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return at(first.year, first.month, day, hour)


def form_post(when, **extra):
    return {
        "kind": "theme_day", "starts_at": timezone.localtime(when).strftime("%Y-%m-%dT%H:%M"), "topic": "主题党日：学党章",
        "place": "村部", "minutes": "学习党章第九条。", **extra,
    }


def queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def test_sibling_branch_meeting_is_404_everywhere(client, tree, people, members):
    other = held(tree.branch_b, MeetingKind.THEME_DAY, last_month_at())
    client.force_login(people.secretary_a)
    for name in ("meeting_detail", "meeting_record", "meeting_amend"):
        assert client.get(reverse(f"orglife:{name}", args=[other.pk])).status_code == 404
    assert client.post(reverse("orglife:meeting_confirm", args=[other.pk])).status_code == 404
    for name in ("meeting_plan", "meeting_record_new", "compliance", "ledger", "six_months", "ledger_export", "six_months_export"):
        assert client.get(reverse(f"orglife:{name}", args=[tree.branch_b.pk])).status_code == 404, name
    other.refresh_from_db()
    assert other.state == MeetingState.RECORDED


def test_list_shows_only_own_scope_with_fixed_queries(client, tree, people, members):
    mine = held(tree.branch_a, MeetingKind.THEME_DAY, last_month_at())
    held(tree.branch_b, MeetingKind.THEME_DAY, last_month_at())
    client.force_login(people.secretary_a)
    response = client.get(reverse("orglife:meeting_list"))
    assert list(response.context["page"]) == [mine]
    before = queries(client, reverse("orglife:meeting_list"))
    for i in range(8):
        held(tree.group_a, MeetingKind.GROUP, last_month_at(day=i + 1))
    assert queries(client, reverse("orglife:meeting_list")) == before


def test_list_filters_by_kind_org_and_month(client, tree, people, members):
    march = held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 3, 31, 23, 30))
    april = held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 4, 1, 0, 10))
    group = held(tree.group_a, MeetingKind.GROUP, at(2026, 3, 2))
    client.force_login(people.dept_a)
    url = reverse("orglife:meeting_list")
    assert list(client.get(url, {"month": "2026-03"}).context["page"]) == [march, group]
    assert list(client.get(url, {"month": "2026-04"}).context["page"]) == [april]
    assert list(client.get(url, {"kind": "group"}).context["page"]) == [group]
    assert list(client.get(url, {"org": tree.group_a.pk}).context["page"]) == [group]
    assert client.get(url, {"org": tree.b_branch.pk}).status_code == 404


def test_record_form_prefills_roll_and_saves(client, tree, people, members):
    client.force_login(people.secretary_a)
    url = reverse("orglife:meeting_record_new", args=[tree.branch_a.pk])
    page = client.get(url)
    assert [r["member"] for r in page.context["rows"]] == [members.a1, members.a2]
    when = last_month_at()
    data = form_post(when, **{f"status_{members.a1.pk}": "present", f"status_{members.a2.pk}": "leave", f"reason_{members.a2.pk}": "住院"})
    response = client.post(url, data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == reverse("orglife:meeting_detail", args=[meeting.pk])
    assert meeting.state == MeetingState.RECORDED and meeting.starts_at == when
    assert dict(meeting.attendances.values_list("member_id", "leave_reason")) == {members.a1.pk: "", members.a2.pk: "住院"}


def test_record_form_bad_input_shows_chinese_errors_and_saves_nothing(client, tree, people, members):
    client.force_login(people.secretary_a)
    url = reverse("orglife:meeting_record_new", args=[tree.branch_a.pk])
    response = client.post(url, form_post(last_month_at(), **{f"status_{members.a2.pk}": "leave"}))
    assert response.status_code == 200
    assert "李四：请假须填写事由" in response.context["roll_errors"]
    response = client.post(url, form_post(last_month_at(), topic="", minutes=""))
    assert response.context["form"].errors["topic"] == ["这个字段是必填项。"]
    response = client.post(url, form_post(last_month_at(), kind="lecture"))
    assert response.context["form"].errors["lecturer"] == ["党课须填写授课人"]
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_plan_then_record_confirm_and_amend(client, tree, people, members):
    client.force_login(people.secretary_a)
    when = last_month_at()
    client.post(reverse("orglife:meeting_plan", args=[tree.branch_a.pk]), form_post(when))
    meeting = Meeting.objects.get()
    assert meeting.state == MeetingState.PLANNED and meeting.minutes == ""
    client.post(reverse("orglife:meeting_record", args=[meeting.pk]), form_post(when, **{f"status_{members.a1.pk}": "present", f"status_{members.a2.pk}": "absent"}))
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.RECORDED
    client.post(reverse("orglife:meeting_confirm", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CONFIRMED
    # a confirmed meeting's record form sends to the amend form
    assert client.get(reverse("orglife:meeting_record", args=[meeting.pk])).url == reverse("orglife:meeting_amend", args=[meeting.pk])
    amend = reverse("orglife:meeting_amend", args=[meeting.pk])
    response = client.post(amend, form_post(when, place="党群服务中心", reason="", **{f"status_{members.a1.pk}": "present", f"status_{members.a2.pk}": "absent"}))
    assert response.context["form"].errors["reason"] == ["这个字段是必填项。"]
    client.post(amend, form_post(when, place="党群服务中心", reason="地点记错", **{f"status_{members.a1.pk}": "present", f"status_{members.a2.pk}": "absent"}))
    meeting.refresh_from_db()
    assert meeting.place == "党群服务中心"
    assert MeetingAmendment.objects.get().reason == "地点记错"
    detail = client.get(reverse("orglife:meeting_detail", args=[meeting.pk]))
    assert "地点记错" in detail.content.decode() and "会议地点" in detail.content.decode()


def test_member_role_sees_but_cannot_change(client, tree, people, members):
    meeting = held(tree.branch_a, MeetingKind.THEME_DAY, last_month_at())
    client.force_login(people.member_a)
    assert client.get(reverse("orglife:meeting_detail", args=[meeting.pk])).status_code == 200
    assert client.post(reverse("orglife:meeting_confirm", args=[meeting.pk])).status_code == 403
    assert client.get(reverse("orglife:meeting_record_new", args=[tree.branch_a.pk])).status_code == 403


def test_matrix_cell_turns_green_after_recording(client, tree, people, members):
    client.force_login(people.dept_a)
    when = last_month_at()
    month = timezone.localtime(when).month
    url = reverse("orglife:compliance", args=[tree.village.pk])
    params = {"year": timezone.localtime(when).year}

    def theme_day_of_branch_a():
        rows = client.get(url, params).context["rows"]
        row = next(r for r in rows if r["org"].pk == tree.branch_a.pk)
        return next(i for i in row["cells"][month - 1].items if i.kind == MeetingKind.THEME_DAY).status

    assert theme_day_of_branch_a() == "missing"
    services.record_meeting(people.secretary_a, org=tree.branch_a, data={**form_post(when), "starts_at": when})
    assert theme_day_of_branch_a() == "met"


def test_matrix_rolls_up_per_child_with_fixed_queries(client, tree, people, members):
    client.force_login(people.city_dept)
    url = reverse("orglife:compliance", args=[tree.city.pk])
    response = client.get(url, {"year": 2026})
    rows = {r["org"].pk: r for r in response.context["rows"]}
    assert set(rows) == {tree.district_a.pk, tree.district_b.pk}
    assert rows[tree.district_a.pk]["rollup"].branches == 2
    assert b'id="orglife-trend-data"' in response.content
    before = queries(client, url, {"year": 2026})
    for i in range(4):
        branch = make_org(people.admin, tree.town, f"增{i}", f"Q{i:03d}")
        make_member(branch)
        held(branch, MeetingKind.THEME_DAY, at(2026, 2, 2))
    client.get(url, {"year": 2026})  # the new branches made the kept figures stale: this request recounts them
    assert queries(client, url, {"year": 2026}) == before


def test_branch_matrix_links_to_meetings(client, tree, people, members):
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 2, 2))
    client.force_login(people.secretary_a)
    response = client.get(reverse("orglife:compliance", args=[tree.branch_a.pk]), {"year": 2026})
    labels = [r["label"] for r in response.context["requirement_rows"]]
    assert labels[0] == "支部党员大会" and "党小组会（新村第一党支部第一党小组）" in labels
    assert f"?org={tree.branch_a.pk}&kind=theme_day&month=2026-02" in response.content.decode()


def test_ledger_page_and_excel(client, tree, people, members):
    meeting = held(tree.branch_a, MeetingKind.LECTURE, at(2026, 2, 2), present=[members.a1], absent=[members.a2])
    held(tree.branch_a, MeetingKind.LECTURE, at(2026, 3, 2), state=MeetingState.PLANNED)
    held(tree.branch_a, MeetingKind.LECTURE, at(2025, 3, 2))
    client.force_login(people.secretary_a)
    page = client.get(reverse("orglife:ledger", args=[tree.branch_a.pk]), {"year": 2026})
    assert list(page.context["meetings"]) == [meeting]
    response = client.get(reverse("orglife:ledger_export", args=[tree.branch_a.pk]), {"year": 2026})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("序号", "会议类型", "召开组织")
    assert rows[1][1] == "党课" and rows[1][9:13] == (2, 1, 0, 1) and len(rows) == 2
    assert AuditLog.objects.filter(action="export", note="导出2026年三会一课台账").exists()


def test_compliance_excel(client, tree, people, members):
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 1, 2))
    client.force_login(people.dept_a)
    response = client.get(reverse("orglife:compliance_export", args=[tree.village.pk]), {"year": 2026, "by": "quarter"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0] == ("组织代码", "党支部", "上级组织", "一季度", "二季度", "三季度", "四季度", "已完成", "应完成", "完成率")
    assert [r[0] for r in rows[1:]] == ["C0401", "C0402"]


def test_six_month_page_and_export(client, tree, people, members):
    client.force_login(people.secretary_a)
    page = client.get(reverse("orglife:six_months", args=[tree.branch_a.pk]))
    assert [m.name for m in page.context["page"]] == ["张三", "李四"]
    held(tree.branch_a, MeetingKind.THEME_DAY, last_month_at(), present=[members.a1], absent=[members.a2])
    page = client.get(reverse("orglife:six_months", args=[tree.branch_a.pk]))
    assert [m.name for m in page.context["page"]] == ["李四"]
    response = client.get(reverse("orglife:six_months_export", args=[tree.village.pk]))
    assert response.status_code == 404  # a branch secretary does not read the village
    client.force_login(people.dept_a)
    response = client.get(reverse("orglife:six_months_export", args=[tree.village.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert [r[0] for r in rows[1:]] == ["李四", "王五"]
