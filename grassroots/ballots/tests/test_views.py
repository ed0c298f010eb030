import pytest
from django.urls import reverse

from grassroots.ballots import rules, services
from grassroots.ballots.menu import is_voter
from grassroots.ballots.models import Ballot, Voter
from grassroots.conftest import make_user
from grassroots.core.todos import todo_items

from .factories import new_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def r(tree, people):
    from types import SimpleNamespace

    secretary = make_user("village_sec", "secretary", tree.village)
    rep = make_user("rep", "representative", tree.village)
    round = new_round(secretary, tree.village, weights={"representative": "0.4", "masses": "0.6"})
    services.add_voters(secretary, round, "representative", users=[rep])
    tokens = services.add_voters(secretary, round, "masses", tokens=2)
    return SimpleNamespace(secretary=secretary, rep=rep, round=round, tokens=tokens, tree=tree, people=people)


def test_token_voter_votes_without_login(client, r):
    url = reverse("portal_ballots:vote", args=[r.tokens[0]])
    assert client.get(url).status_code == 404  # not open yet: the link leads nowhere
    services.open_round(r.secretary, r.round)
    page = client.get(url)
    assert page.status_code == 200 and "张书记" in page.content.decode() and page["Referrer-Policy"] == "no-referrer"
    missing = client.post(url, {"s-zhang": "good"})
    assert missing.status_code == 400 and "未选择等次" in missing.content.decode()
    done = client.post(url, {"s-zhang": "good", "s-li": "average"})
    assert done.status_code == 200 and "投票成功" in done.content.decode()
    assert Ballot.objects.get().choices == {"zhang": "good", "li": "average"}
    again = client.post(url, {"s-zhang": "poor", "s-li": "poor"})
    assert "已于" in again.content.decode() and Ballot.objects.count() == 1
    assert client.get(reverse("portal_ballots:vote", args=["not-a-token"])).status_code == 404


def test_account_voter_menu_todo_and_vote(client, r):
    assert not is_voter(r.people.member_a)
    services.open_round(r.secretary, r.round)
    assert is_voter(r.rep)
    todo = [i for i in todo_items(r.rep, r.tree.village) if i.area == "评议与表决"]
    assert todo and todo[0].count == 1
    client.force_login(r.rep)
    assert "去投票" in client.get(reverse("ballots:mine")).content.decode()
    response = client.post(reverse("ballots:vote", args=[r.round.pk]), {"s-zhang": "good", "s-li": "good"})
    assert "投票成功" in response.content.decode()
    assert Voter.objects.get(user=r.rep).voted_at is not None
    assert not [i for i in todo_items(r.rep, r.tree.village) if i.area == "评议与表决"]
    client.force_login(r.people.member_a)  # not on the roll
    assert client.get(reverse("ballots:vote", args=[r.round.pk])).status_code == 404


def test_organizer_round_page_tokens_paper_close_publish_export(client, r, django_assert_max_num_queries):
    client.force_login(r.secretary)
    tokens = client.post(reverse("ballots:voters_add", args=[r.round.pk]), {"group": "masses", "tokens": 2})
    html = tokens.content.decode()
    assert tokens.status_code == 200 and html.count("class=\"token-card\"") == 2 and "/gongkai/pingyi/" in html
    assert client.post(reverse("ballots:round_act", args=[r.round.pk]), {"action": "open"}).status_code == 302
    r.round.refresh_from_db()
    services.cast(r.round, {"zhang": "good", "li": "good"}, user=r.rep)
    too_many = client.post(reverse("ballots:paper", args=[r.round.pk]), {"group": "masses", "zhang|good": 5})
    assert too_many.status_code == 400 and "超过" in too_many.content.decode()
    assert client.post(reverse("ballots:paper", args=[r.round.pk]), {"group": "masses", "zhang|fairly_good": 2, "li|average": 2}).status_code == 302
    assert client.get(reverse("ballots:export", args=[r.round.pk])).status_code == 403  # results after closing
    client.post(reverse("ballots:round_act", args=[r.round.pk]), {"action": "close"})
    with django_assert_max_num_queries(30):
        page = client.get(reverse("ballots:round", args=[r.round.pk]))
    html = page.content.decode()
    assert "data-ballot-chart" in html and "ballots/results.js" in html and "vendor/echarts.min.js" in html and "<script>" not in html
    assert "88.00" in html  # 0.4 × 100 + 0.6 × 80
    export = client.get(reverse("ballots:export", args=[r.round.pk]))
    assert export.status_code == 200
    assert client.post(reverse("ballots:round_act", args=[r.round.pk]), {"action": "publish"}).status_code == 302
    assert "2026年度述职评议" in client.get(reverse("ballots:rounds")).content.decode()


def test_results_include(r):
    from django.template.loader import render_to_string

    services.open_round(r.secretary, r.round)
    html = render_to_string("ballots/_results.html", {"round": r.round})
    assert "截止后显示结果" in html
    services.cast(r.round, {"zhang": "good", "li": "poor"}, user=r.rep)
    services.close_round(r.secretary, r.round)
    r.round.__dict__.pop("results", None)
    html = render_to_string("ballots/_results.html", {"round": r.round})
    assert "张书记" in html and r.round.chart_data_id in html


def test_api(api, r):
    services.open_round(r.secretary, r.round)
    api.as_user(r.rep)
    mine = api.get("/ballots/mine").json()
    assert [m["title"] for m in mine] == ["2026年度述职评议"] and mine[0]["voted_on"] is None
    bad = api.send("post", f"/ballots/rounds/{r.round.pk}/cast", {"choices": {"zhang": "good", "li": "great"}})
    assert bad.status_code == 422 and "不在评价等次" in bad.json()["detail"]
    assert api.send("post", f"/ballots/rounds/{r.round.pk}/cast", {"choices": {"zhang": "good", "li": "good"}}).status_code == 201
    again = api.send("post", f"/ballots/rounds/{r.round.pk}/cast", {"choices": {"zhang": "good", "li": "good"}})
    assert again.status_code == 422 and "已投过票" in again.json()["detail"]
    assert api.get(f"/ballots/rounds/{r.round.pk}").status_code == 404  # a voter does not read the organizer's page
    api.as_user(r.secretary)
    assert api.send("post", f"/ballots/rounds/{r.round.pk}/close", {}).status_code == 200
    detail = api.get(f"/ballots/rounds/{r.round.pk}").json()
    assert detail["results"][0]["totals"]["good"] == 1 and [t["electronic"] for t in detail["turnout"]] == [1, 0]  # 评议代表 before 群众, on both databases
    assert rules.group_label("masses") == "群众"
