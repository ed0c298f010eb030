import pytest

from grassroots.ballots import services as ballots
from grassroots.leaders import rules, services
from grassroots.leaders.models import Review

pytestmark = pytest.mark.django_db


def test_grade_from_counts():
    assert rules.grade_from_counts({}) is None
    assert rules.grade_from_counts({"excellent": 5, "competent": 3}) == "excellent"
    assert rules.grade_from_counts({"excellent": 3, "competent": 3}) == "competent"  # a tie goes to the lower grade
    assert rules.grade_from_counts({"excellent": 5, "incompetent": 3}) == "incompetent"  # 3/8 > 1/3
    assert rules.grade_from_counts({"excellent": 6, "incompetent": 3}) == "excellent"  # exactly 1/3 is not more


def test_review_held_on_a_ballots_round(client, tree, people):
    actor = people.dept_a
    round, raw = services.open_review_round(actor, tree.village, year=2025, tokens=3, cadres=[
        {"name": "钱七", "post_label": "村委会主任", "report": "述职述廉"}, {"name": "孙八", "post_label": "委员", "report": "述职"}])
    assert Review.objects.filter(round=round, grade="").count() == 2
    ballots.open_round(actor, round)
    for token, grades in zip(raw, (("excellent", "incompetent"), ("competent", "incompetent"), ("excellent", "competent")), strict=True):
        ballots.cast(round, {"钱七": grades[0], "孙八": grades[1]}, token=token)
    with pytest.raises(Exception, match="尚未结束"):
        services.conclude_review_round(actor, round)
    ballots.close_round(actor, round)
    client.force_login(actor)
    client.post(f"/leaders/reviews/round/{round.pk}/conclude/")
    assert dict(Review.objects.filter(round=round).values_list("name", "grade")) == {"钱七": "excellent", "孙八": "incompetent"}
