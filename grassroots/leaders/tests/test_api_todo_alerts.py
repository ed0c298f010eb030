import datetime

import pytest

from grassroots.core.models import Notification
from grassroots.leaders import alerts, reminders, todo
from grassroots.orgs import services as org_services

from .conftest import run_to_vote

pytestmark = pytest.mark.django_db


def test_api_counts_refused_above_the_roll_and_reserves_masked(api, tree, people, village_people):
    election, cands = run_to_vote(people.dept_a, tree, village_people, voters=5)
    api.as_user(people.dept_a)
    r = api.send("post", f"/leaders/elections/{election.pk}/counts", {"body": "villagers", "ballots_cast": 6, "votes": {str(cands[3].pk): 6}})
    assert r.status_code == 422 and "超过冻结的选民名单" in r.content.decode()
    r = api.send("post", f"/leaders/elections/{election.pk}/counts", {"body": "villagers", "ballots_cast": 4, "votes": {str(cands[3].pk): 4}})
    assert r.status_code == 200 and {c["name"]: c["elected"] for c in r.json()["candidates"] if c["body"] == "villagers"}["陈一"]
    r = api.send("post", "/leaders/reserves", {"org_id": tree.village.pk, "name": "甲", "gender": "male", "birth_date": "1990-01-01",
                                               "source": "graduate", "phone": "13812345678"})
    assert r.status_code == 201 and r.json()["phone_masked"] == "138****5678"
    assert "13812345678" not in api.get("/leaders/reserves").content.decode()
    assert api.get(f"/leaders/elections/{election.pk}").json()["roll_size"] == 5


def test_todo_alerts_and_reminders(tree, people, members):
    today = datetime.date(2026, 12, 3)
    org_services.update_organization(people.dept_a, tree.village, {"term_start": datetime.date(2022, 3, 1), "term_end": datetime.date(2027, 3, 1)})
    lines = {t.label: t.count for t in todo.lines(people.dept_a, tree.district_a, today)}
    assert lines["两委任期 180 天内届满、尚未启动换届"] == 1
    assert lines["后备人才不足 2 名的村（社区）"] == 1  # the village; its branches are not villages
    kinds = {a.kind for a in alerts.alerts([tree.district_a.path], today)}
    assert "leaders.reserve_short" in kinds
    from grassroots.conftest import make_user
    from grassroots.core.roles import Role

    village_sj = make_user("village_sj", Role.SECRETARY, tree.village)
    sent = reminders.send(datetime.date(2027, 3, 1) - datetime.timedelta(days=90))
    assert sent >= 1 and Notification.objects.filter(recipient=village_sj, kind="leaders").exists()
    assert reminders.send(datetime.date(2027, 3, 1) - datetime.timedelta(days=89)) == 0


def test_api_statistics_read_the_posts(api, tree, people, members):
    """一肩挑 and 交叉任职 in the API follow the posts held in orgs: 张三 as secretary and 村委会主任 of the village."""
    for title in ("secretary", "village_director"):
        org_services.appoint_post(people.dept_a, tree.village, title=title, holder=members.a1, started_on=datetime.date(2021, 11, 1))
    api.as_user(people.dept_a)
    body = api.get(f"/leaders/statistics?org_id={tree.district_a.pk}").json()
    assert (body["villages"], body["one_shoulder"], body["one_shoulder_share"], body["cross"], body["party_people"]) == (1, 1, "100.0", 1, 1)
    assert api.get(f"/leaders/statistics?org_id={tree.district_b.pk}").status_code == 404  # not wujin_zzb's
