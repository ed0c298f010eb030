from decimal import Decimal

import pytest

from grassroots.assessment import rules, services
from grassroots.assessment.choices import Kind, RoundState
from grassroots.ballots import services as ballots
from grassroots.ballots.models import Ballot, Voter
from grassroots.conftest import make_user
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.roles import Role

pytestmark = pytest.mark.django_db

PARTS = {"ideas": "思路", "measures": "措施", "results": "成效", "shortcomings": "不足", "plans": "打算"}


def test_combined_score_is_exact_decimal():
    assert rules.combined(Decimal("95.00"), Decimal("80"), Decimal("0.35")) == Decimal("85.25")
    assert rules.combined(Decimal("63.33"), Decimal("60"), Decimal("0.35")) == Decimal("61.17")  # 61.1655 half up
    assert rules.combined(None, Decimal("72.5"), Decimal("0.35")) == Decimal("72.50")
    assert rules.grade_of(Decimal("90.00")) == "good" and rules.grade_of(Decimal("89.99")) == "fair"
    assert rules.grade_of(Decimal("59.99")) == "poor"


def test_a_round_from_reports_to_published_results(tree, people):
    town_sj = make_user("town_sj", Role.SECRETARY, tree.town)
    village_sj = make_user("village_sj", Role.SECRETARY, tree.village)
    reps = [make_user(f"rep{i}", Role.REPRESENTATIVE, tree.district_a) for i in range(3)]
    boss = people.dept_a
    round = services.create_round(boss, tree.district_a, year=2026, subjects=[
        {"org": tree.town, "person_name": "钱一", "user": town_sj, "post": "湖塘镇党委书记"},
        {"org": tree.village, "person_name": "孙二", "user": village_sj, "post": "新村党委书记"},
    ])
    first, second = list(round.reports.order_by("position"))
    assert "发展党员" in first.results and first.figures["branches"] == 2  # prefilled from the platform's figures
    with pytest.raises(PermissionDenied):
        services.save_report(village_sj, first, ideas="越权")
    services.save_report(town_sj, first, submit=True, **PARTS)
    with pytest.raises(ValidationError):  # not every report is in
        services.open_appraisal(boss, round)
    services.save_report(village_sj, second, submit=True, **PARTS)
    with pytest.raises(PermissionDenied):
        services.comment(town_sj, first, text="自评", year_score="100")
    services.comment(boss, first, text="抓党建有力", year_score="80")
    services.comment(boss, second, text="整改不到位", year_score="60")
    round, _tokens = services.open_appraisal(boss, round)
    ballot_round = round.ballot_round
    assert set(Voter.objects.filter(round=ballot_round).values_list("user_id", flat=True)) == {r.pk for r in reps}
    for rep, grades in zip(reps, [("good", "average"), ("good", "average"), ("fair", "poor")], strict=True):
        ballots.cast(ballot_round, {first.subject_key: grades[0], second.subject_key: grades[1]}, user=rep)
    with pytest.raises(ValidationError):  # a second ballot by the same person
        ballots.cast(ballot_round, {first.subject_key: "poor", second.subject_key: "poor"}, user=reps[0])
    # anonymity: a ballot has no link to its voter and no time
    names = {f.name for f in Ballot._meta.get_fields()}
    assert not names & {"user", "voter", "created_at", "cast_at"}
    with pytest.raises(ValidationError):
        services.save_report(town_sj, first, ideas="评议开始后修改")
    services.publish_results(boss, round)
    round.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert round.state == RoundState.PUBLISHED
    assert (first.live_score, first.combined, first.grade, first.follow_ups) == (Decimal("95.00"), Decimal("85.25"), "fair", [])
    assert (second.live_score, second.combined, second.grade) == (Decimal("63.33"), Decimal("61.17"), "average")
    assert second.follow_up_labels == ["约谈", "限期整改"]
    with pytest.raises(ValidationError):  # a report after publication
        services.save_report(town_sj, first, ideas="公布后修改")
    with pytest.raises(ValidationError):
        services.publish_results(boss, round)


def test_village_kind_needs_the_integrity_part(tree, people):
    village_sj = make_user("village_sj", Role.SECRETARY, tree.village)
    round = services.create_round(people.dept_a, tree.district_a, year=2026, kind=Kind.VILLAGE,
                                  subjects=[{"org": tree.village, "person_name": "孙二", "user": village_sj}])
    report = round.reports.get()
    with pytest.raises(ValidationError):
        services.save_report(village_sj, report, submit=True, **PARTS)
    services.save_report(village_sj, report, submit=True, integrity="廉洁", **PARTS)
    with pytest.raises(PermissionDenied):
        services.create_round(people.secretary_b, tree.branch_a, year=2026, subjects=[{"org": tree.group_a, "person_name": "x"}])
