import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.rectification import services
from grassroots.rectification.models import Case

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(staffed, people, town2):
    _town, other = town2
    return [
        services.open_case(people.dept_a, staffed.village, year=2026, problems=["disunited"], due_on=TODAY + datetime.timedelta(days=90)),
        services.open_case(people.dept_a, other, year=2026, problems=["weak_economy"], due_on=datetime.date(2026, 1, 1), today=datetime.date(2025, 12, 1)),
    ]


def test_oversight_counts_chart_and_ledger_without_n_plus_one(client, people, cases, town_user, tree):
    client.force_login(people.dept_a)
    r = client.get("/rectification/")
    html = r.content.decode()
    assert r.status_code == 200 and "中共新村村委员会" in html and "中共大坝村委员会" in html and "rectification-data" in html
    with CaptureQueriesContext(connection) as few:
        client.get("/rectification/")
    services.open_case(people.dept_a, tree.branch_b, year=2026, problems=["disunited"], due_on=TODAY + datetime.timedelta(days=9))
    with CaptureQueriesContext(connection) as more:
        client.get("/rectification/")
    assert len(more) == len(few)  # one more case, no more queries
    assert "中共大坝村委员会" in client.get("/rectification/?overdue=1").content.decode()
    # a township sees only its villages
    client.force_login(town_user)
    html = client.get("/rectification/").content.decode()
    assert "中共新村村委员会" in html and "中共大坝村委员会" not in html


def test_ledger_export_report_and_print(client, people, cases, tree):
    client.force_login(people.dept_a)
    r = client.get("/rectification/export/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    r = client.get(f"/rectification/report/?year=2026&org={tree.district_a.pk}")
    assert r.status_code == 200 and "共列入 2 个" in r.content.decode()
    assert client.get(f"/rectification/report/export/?year=2026&org={tree.district_a.pk}").status_code == 200
    assert "整顿台账" in client.get(f"/rectification/case/{cases[0].pk}/print/").content.decode()


def test_case_page_refuses_detaching_with_a_clear_message(client, people, cases, tree):
    from grassroots.conftest import make_org

    unit = make_org(people.admin, tree.district_a, "区农业农村局党组", "C0901")
    services.set_support(people.dept_a, cases[0], contact_leader="王副区长", assisting_unit=unit)
    client.force_login(people.dept_a)
    r = client.post(f"/rectification/case/{cases[0].pk}/act/", {"action": "support", "contact_leader": "王副区长", "assisting_unit": ""}, follow=True)
    assert "整顿尚未验收销号，帮扶单位不得脱钩" in r.content.decode()
    assert Case.objects.get(pk=cases[0].pk).assisting_unit == unit
    r = client.post(f"/rectification/case/{cases[0].pk}/act/", {"action": "accept"}, follow=True)
    assert "未经群众满意度测评" in r.content.decode()


def test_api_lists_scoped_cases_and_refuses_detach(api, people, cases, town_user, tree):
    from grassroots.conftest import make_org

    r = api.as_user(town_user).get("/rectification/cases")
    assert r.status_code == 200 and [c["org"] for c in r.json()["items"]] == ["中共新村村委员会"]
    unit = make_org(people.admin, tree.district_a, "区农业农村局党组", "C0901")
    r = api.send("post", f"/rectification/cases/{cases[0].pk}/support", {"assisting_unit_id": unit.pk})
    assert r.status_code == 200 and r.json()["assisting_unit_id"] == unit.pk
    r = api.send("post", f"/rectification/cases/{cases[0].pk}/support", {"assisting_unit_id": None})
    assert r.status_code == 422 and "不得脱钩" in r.content.decode()
    r = api.as_user(people.dept_a).get("/rectification/counts", org_id=tree.district_a.pk)
    assert r.json()["total"] == 2 and r.json()["overdue"] == 1


def test_screening_pages(client, people, staffed, town_user):
    from grassroots.orgs.models import Post

    Post.objects.filter(org=staffed.village).update(ended_on=TODAY - datetime.timedelta(days=200))
    client.force_login(people.dept_a)
    r = client.post("/rectification/screening/", {"district": staffed.district_a.pk, "year": 2026}, follow=True)
    html = r.content.decode()
    assert "书记职位空缺" in html and "中共新村村委员会" in html
    client.force_login(people.secretary_a)  # a branch does not read the district's screening
    assert client.get(r.redirect_chain[-1][0]).status_code == 404
    client.force_login(town_user)
    assert client.get(r.redirect_chain[-1][0]).status_code == 200
