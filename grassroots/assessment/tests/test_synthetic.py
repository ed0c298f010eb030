import datetime

import pytest

from grassroots.assessment.models import AssessmentRound
from grassroots.assessment.synthetic import generate_demo
from grassroots.conftest import make_member, make_user
from grassroots.core.roles import Role
from grassroots.orgs import services as org_services

pytestmark = pytest.mark.django_db


def test_demo_data_goes_through_the_services(tree, people):
    town_sj = make_user("town_sj", Role.SECRETARY, tree.town)
    org_services.appoint_post(people.dept_a, tree.town, title="secretary", holder=make_member(tree.town, "钱一"), started_on=datetime.date(2024, 1, 1))
    org_services.appoint_post(town_sj, tree.village, title="secretary", holder=make_member(tree.village, "孙二"), started_on=datetime.date(2024, 1, 1))
    generate_demo(datetime.date(2026, 12, 3), 1, print)
    district = AssessmentRound.objects.get(org=tree.district_a)
    assert [r.person_name for r in district.reports.all()] == ["钱一"] and district.reports.get().year_score is not None
    assert AssessmentRound.objects.get(org=tree.town).kind == "village"


def test_the_demo_round_runs_to_published_results_with_the_five_representatives(client, tree, people):
    """The demo's 武进 round, end to end as the demo logins do it: the department opens the appraisal, daibiao1..5 find
    it under 我的评议 and vote once each (a second ballot changes nothing), the department publishes, the grade is
    recorded for the person, and a representative reads nothing of the round beyond the ballot."""
    from django.urls import reverse

    from grassroots.accounts.models import User
    from grassroots.assessment.synthetic import DEMO_LOGINS
    from grassroots.ballots.models import Ballot
    from grassroots.dataset.generator import DEMO_PASSWORD

    town_sj = make_user("town_sj", Role.SECRETARY, tree.town)
    holder = make_member(tree.town, "钱一", user=town_sj)
    org_services.appoint_post(people.dept_a, tree.town, title="secretary", holder=holder, started_on=datetime.date(2024, 1, 1))
    generate_demo(datetime.date(2026, 12, 3), 1, print)
    assert DEMO_LOGINS == ("daibiao1", "daibiao2", "daibiao3", "daibiao4", "daibiao5")
    reps = list(User.objects.filter(username__in=DEMO_LOGINS).order_by("username"))
    assert len(reps) == 5 and all(u.check_password(DEMO_PASSWORD) for u in reps)
    round = AssessmentRound.objects.get(org=tree.district_a)
    report = round.reports.get()
    assert report.user == town_sj and report.state == "submitted" and report.year_score is not None

    client.force_login(people.dept_a)
    assert client.post(reverse("assessment:round", args=[round.pk]), {"action": "open"}).status_code == 302
    round.refresh_from_db()
    ballot_round = round.ballot_round
    assert ballot_round is not None and ballot_round.voters.count() == 5
    for rep, grade in zip(reps, ["good", "good", "fair", "fair", "average"], strict=True):
        client.force_login(rep)
        assert round.title in client.get(reverse("ballots:mine")).content.decode()
        vote = reverse("ballots:vote", args=[ballot_round.pk])
        assert client.post(vote, {f"s-{report.subject_key}": grade}).status_code == 200
        client.post(vote, {f"s-{report.subject_key}": "poor"})  # a second try: still one ballot each
        assert client.get(reverse("assessment:round", args=[round.pk])).status_code == 404
    assert Ballot.objects.filter(round=ballot_round).count() == 5

    client.force_login(people.dept_a)
    client.post(reverse("assessment:round", args=[round.pk]), {"action": "publish"})
    report.refresh_from_db()
    # live = (100 + 100 + 85 + 85 + 70) / 5 = 88.00; combined = 0.35 × 88 + 0.65 × 82 = 84.10 → 较好
    assert (str(report.live_score), str(report.combined), report.grade_label) == ("88.00", "84.10", "较好")
    client.force_login(town_sj)  # the result recorded for the person, on his own page
    page = client.get(reverse("assessment:rounds")).content.decode()
    assert round.title in page and "较好" in page
    assert client.get(f"/api/v1/assessment/reports/{report.pk}").status_code == 200
