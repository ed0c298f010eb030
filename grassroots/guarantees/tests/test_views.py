import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.conftest import make_org, make_user
from grassroots.core.roles import Role
from grassroots.guarantees import services
from grassroots.orgs.choices import Kind

pytestmark = pytest.mark.django_db


def test_pages_answer_and_the_ledger_does_not_grow_with_villages(client, tree, people, root_admin):
    services.add_standard(people.dept_a, tree.district_a, item="work_funds", applies_to="rural", valid_from=datetime.date(2026, 1, 1), floor="1")
    campaign = services.open_campaign(people.dept_a, tree.district_a, year=2026, due_on=datetime.date(2026, 12, 20))
    client.force_login(people.dept_a)
    for url in ("/guarantees/", "/guarantees/standards/", "/guarantees/campaigns/", "/guarantees/conditions/", f"/guarantees/campaign/{campaign.pk}/",
                f"/guarantees/report/{campaign.reports.get().pk}/", "/guarantees/standards/?export=1"):
        assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as one:
        client.get(f"/guarantees/campaign/{campaign.pk}/")
    campaign.delete()
    for i in range(3):
        make_org(root_admin, tree.town, f"第{i}村党委", f"C09{i}", Kind.COMMITTEE)
    campaign = services.open_campaign(people.dept_a, tree.district_a, year=2026, due_on=datetime.date(2026, 12, 20))
    assert campaign.reports.count() == 4
    with CaptureQueriesContext(connection) as four:
        assert client.get(f"/guarantees/campaign/{campaign.pk}/").status_code == 200
    assert len(four) == len(one)
    client.force_login(make_user("other_sj", Role.SECRETARY, tree.b_branch))
    assert client.get(f"/guarantees/campaign/{campaign.pk}/").status_code == 404


def test_the_conditions_checklist_offers_townships_only(client, tree, people, root_admin):
    from grassroots.guarantees.models import TownshipConditions
    from grassroots.orgs.choices import Category

    bureau = make_org(root_admin, tree.district_a, "中共武进区农业农村局党组", "C0701", Kind.COMMITTEE, Category.AGENCY)
    client.force_login(people.dept_a)
    page = client.get("/guarantees/conditions/", {"year": 2026})
    assert [o.pk for o in page.context["townships"]] == [tree.town.pk]  # the town leads a village; the bureau does not
    assert bureau.name not in page.content.decode()
    r = client.post("/guarantees/conditions/?year=2026", {"org": tree.town.pk, "canteen": "1", "dormitory": "1", "note": "澡堂在建"})
    assert r.status_code == 302
    row = TownshipConditions.objects.get(org=tree.town, year=2026)
    assert (row.canteen, row.dormitory, row.bathhouse, row.complete) == (True, True, False, False)
    client.force_login(make_user("town_sj", Role.SECRETARY, tree.town))  # the township does not check itself
    assert client.get("/guarantees/conditions/", {"year": 2026}).context["townships"] == []
    client.post("/guarantees/conditions/?year=2026", {"org": tree.town.pk, "bathhouse": "1"})
    assert TownshipConditions.objects.get(org=tree.town, year=2026).bathhouse is False
