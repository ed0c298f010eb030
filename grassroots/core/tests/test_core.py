import datetime
import json

import pytest
from django.urls import reverse

from grassroots.conftest import login
from grassroots.core import audit
from grassroots.core.context import acting_as
from grassroots.core.models import AuditLog
from grassroots.orgs import services as org_services

pytestmark = pytest.mark.django_db


def test_home_dashboard_counts_and_chart_data(client, tree, people, members):
    login(client, people.dept_a)
    response = client.get(reverse("dashboard:home"))
    html = response.content.decode()
    assert "中共常州市武进区委员会" in html and 'data-count="total">3<' in html
    data = json.loads(html.split('id="dashboard-data" type="application/json">')[1].split("</script>")[0])
    assert sum(d["value"] for d in data["by_category"]) == 3
    assert data["by_age"]["values"][0] == 1  # 李四, born 2000
    assert "/static/vendor/echarts.min.js" in html


def test_member_home_shows_own_branch(client, tree, people, members):
    login(client, people.member_a)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert "新村第一党支部" in html and "党员总数" not in html


def test_menu_shows_only_permitted_areas(client, tree, people):
    login(client, people.secretary_a)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert "审计日志" in html and "账号与角色" not in html and "后台管理" not in html
    login(client, people.admin)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert "后台管理" in html and "账号与角色" in html


def test_request_id_header_and_audit_context(client, tree, people):
    login(client, people.dept_a)
    response = client.get(reverse("dashboard:home"), HTTP_X_REQUEST_ID="abc123")
    assert response["X-Request-ID"] == "abc123"
    with acting_as(people.dept_a, ip="192.0.2.9", request_id="r-1"):
        org_services.update_organization(people.dept_a, tree.branch_a, {"contact_person": "王"})
    entry = AuditLog.objects.get(request_id="r-1")
    assert entry.actor == people.dept_a and entry.client_ip == "192.0.2.9" and entry.after["contact_person"] == "王"


def test_audit_log_search_is_scoped(client, tree, people):
    org_services.update_organization(people.dept_a, tree.branch_a, {"address": "甲"})
    org_services.update_organization(people.city_dept, tree.b_branch, {"address": "乙"})
    login(client, people.dept_a)
    html = client.get(reverse("core:audit_log")).content.decode()
    assert "新村第一党支部" in html and "天宁区某社区党支部" not in html
    html = client.get(reverse("core:audit_log"), {"object": "第二", "action": "create"}).content.decode()
    assert "新村第二党支部" in html and "新村第一党支部</td>" not in html
    html = client.get(reverse("core:audit_log"), {"start": "2020-99-01"}).content.decode()
    assert "日期格式应为 YYYY-MM-DD" in html
    login(client, people.supervisor)
    assert client.get(reverse("core:audit_log")).status_code == 403
    login(client, people.city_dept)
    html = client.get(reverse("core:audit_log"), {"actor": "city_zzb"}).content.decode()
    assert "天宁区某社区党支部" in html


def test_audit_changes_lists_only_differences(db):
    entry = AuditLog(before={"a": 1, "b": 2}, after={"a": 1, "b": 3, "c": 4})
    assert entry.changes() == [("b", 2, 3), ("c", None, 4)]


def test_audit_changes_speak_chinese(tree, people):
    org_services.update_organization(people.dept_a, tree.branch_a, {"address": "新村路", "kind": "joint_branch"})
    entry = AuditLog.objects.get(action="update")
    assert ("地址", "", "新村路") in entry.changes()
    assert ("组织类别", "党支部", "联合党支部") in entry.changes()
    org_services.dissolve_organization(people.dept_a, tree.group_b, datetime.date(2026, 1, 1), "合并")
    assert ("状态", "正常", "已撤销") in AuditLog.objects.get(action="dissolve").changes()


def test_snapshot_is_json_ready(tree):
    data = audit.snapshot(tree.branch_a, ["name", "established_on", "is_active"])
    assert json.dumps(data)


def test_api_dashboard_and_audit(client, tree, people, members):
    login(client, people.dept_a)
    body = client.get("/api/v1/dashboard").json()
    assert body["org_name"] == "中共常州市武进区委员会" and body["counts"]["total"] == 3
    assert client.get("/api/v1/dashboard", {"org_id": tree.b_branch.pk}).status_code == 404
    body = client.get("/api/v1/audit", {"action": "create", "page_size": 3}).json()
    assert body["count"] == 7 and len(body["items"]) == 3
    login(client, people.supervisor)
    assert client.get("/api/v1/audit").status_code == 403


def test_admin_is_read_only(client, people):
    people.admin.is_staff = True
    people.admin.save()
    client.force_login(people.admin)
    assert client.get("/admin/orgs/organization/").status_code == 200
    assert client.get("/admin/orgs/organization/add/").status_code == 403
