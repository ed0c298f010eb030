import pytest
from django.utils import timezone

from grassroots.dues.models import DuesPayment

from .factories import declared, this_month

pytestmark = pytest.mark.django_db


def test_rate(api, people):
    api.as_user(people.member_a)
    body = api.get("/dues/rate", category="employed", base="10000.01").json()
    assert body["amount"] == "200.00" and body["rate"] == "0.02"
    assert api.get("/dues/rate", category="farmer", fixed_amount="2").status_code == 422


def test_declare_collect_and_summary(api, tree, people, members, django_assert_max_num_queries):
    api.as_user(people.secretary_a)
    r = api.send("post", "/dues/declarations", {"member_id": members.a1.pk, "year": 2026, "category": "retired", "base": "5000"})
    assert r.status_code == 201 and r.json()["amount"] == "25.00"
    bad = api.send("post", "/dues/declarations", {"member_id": members.a1.pk, "year": 2026, "category": "nope"})
    assert bad.status_code == 422 and "category" in bad.json()["errors"]
    month = this_month().strftime("%Y-%m")
    today = timezone.localdate().isoformat()
    r = api.send("post", "/dues/payments", {"org_id": tree.branch_a.pk, "month": month, "payments": [
        {"member_id": members.a1.pk, "amount_paid": "25", "paid_on": today}]})
    assert r.status_code == 200 and r.json()[0]["paid"] is True
    with django_assert_max_num_queries(10):
        listing = api.get("/dues/payments", org_id=tree.branch_a.pk, month=month).json()
    assert listing["count"] == 1
    s = api.get(f"/dues/summary/{tree.branch_a.pk}").json()
    assert s["total"]["paid"] == "25.00"
    assert api.get(f"/dues/summary/{tree.branch_b.pk}").status_code == 404
    r = api.send("post", "/dues/payments", {"org_id": tree.branch_b.pk, "month": month, "payments": []})
    assert r.status_code in (403, 422)


def test_arrears_api_and_relief(api, tree, people, members):
    declared(members.a1, tree.branch_a)
    api.as_user(people.secretary_a)
    assert api.get(f"/dues/arrears/{tree.branch_a.pk}").json()["count"] == 0  # no month records
    rows = api.get(f"/dues/arrears/{tree.branch_a.pk}", six_months=True).json()
    assert rows["count"] == 1 and rows["items"][0]["months"] is None and rows["items"][0]["six_months"]  # declared years ago
    r = api.send("post", "/dues/reliefs", {"member_id": members.a1.pk, "kind": "reduce", "amount": "5", "from_month": "2026-01",
                                          "to_month": "2026-03", "reason": "困难"})
    assert r.status_code == 201 and r.json()["state"] == "pending"
    assert api.send("post", f"/dues/reliefs/{r.json()['id']}/decide", {"approve": True}).status_code == 403
    assert DuesPayment.objects.count() == 0


def test_carry_over_api(api, tree, people, members):
    import datetime

    year = timezone.localdate().year
    declared(members.a1, tree.branch_a, since=datetime.date(year - 1, 1, 1))
    api.as_user(people.secretary_a)
    r = api.send("post", "/dues/declarations/carry-over", {"org_id": tree.branch_a.pk, "year": year})
    assert r.status_code == 201 and [d["member_name"] for d in r.json()] == ["张三"]
    assert api.send("post", "/dues/declarations/carry-over", {"org_id": tree.branch_b.pk, "year": year}).status_code == 422  # 找不到


def test_record_list_count_comes_from_the_kept_figures_and_is_exact(api, tree, people, members):
    """The list of a whole subtree at the top of the tree counts from the kept figures (dues/rollups.py): exact, also
    after records are added in bulk (a month opened); a month filter counts the rows."""
    from grassroots.dues import services
    from grassroots.orgs.models import SubtreeFigure

    for m in (members.a1, members.a2):
        declared(m, tree.branch_a)
    services.open_month(tree.branch_a, this_month())
    api.as_user(people.city_dept)

    def listed(**params):
        response = api.get("/dues/payments", **params)
        assert response.status_code == 200, response.content
        return response.json()["count"]

    assert listed(org_id=tree.city.pk) == listed() == DuesPayment.objects.count() == 2
    assert SubtreeFigure.objects.filter(name="dues.records", org_path=tree.city.path, values={"records": 2}).exists()
    declared(members.b1, tree.branch_b)
    services.open_month(tree.branch_b, this_month())  # bulk_create: marks the kept figures itself
    assert listed(org_id=tree.city.pk) == listed() == 3 and listed(org_id=tree.district_a.pk) == 3
    assert listed(org_id=tree.city.pk, month=this_month().strftime("%Y-%m")) == 3
    api.as_user(people.dept_a)  # a district's reader
    assert listed() == 3
