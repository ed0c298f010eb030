import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from grassroots.ballots import results, rules, services
from grassroots.ballots.choices import RoundState
from grassroots.ballots.models import Ballot, Mark, PaperCount, Round, Voter
from grassroots.conftest import make_user
from grassroots.core.models import AuditLog

from .factories import new_round

pytestmark = pytest.mark.django_db
BOTH_GOOD = {"zhang": "good", "li": "good"}


def messages(exc):
    e = exc.value
    return " ".join(m for ms in e.message_dict.values() for m in ms) if hasattr(e, "error_dict") else " ".join(e.messages)


@pytest.fixture
def r(tree, people):
    """A village round with two representatives (accounts) and two token voters, opened."""
    from types import SimpleNamespace

    secretary = make_user("village_sec", "secretary", tree.village)
    reps = [make_user(f"rep{i}", "representative", tree.village) for i in range(2)]
    round = new_round(secretary, tree.village, weights={"representative": "0.4", "masses": "0.6"})
    services.add_voters(secretary, round, "representative", users=reps)
    tokens = services.add_voters(secretary, round, "masses", tokens=2)
    services.open_round(secretary, round)
    round.refresh_from_db()
    return SimpleNamespace(tree=tree, people=people, secretary=secretary, reps=reps, tokens=tokens, round=round)


def test_create_round_checks(tree, people):
    with pytest.raises(PermissionDenied):
        new_round(people.secretary_a, tree.village)
    with pytest.raises(ValidationError) as exc:
        new_round(people.dept_a, tree.village, grade_set=[{"key": "a", "label": "好", "score": 1}])
    assert "至少要有两项" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        new_round(people.dept_a, tree.village, weights={"representative": 0.4, "superior": 0.5})
    assert "之和须等于 1" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        new_round(people.dept_a, tree.village, subjects=[("a", "甲"), ("a", "乙")])
    assert "重复" in messages(exc)
    round = new_round(people.dept_a, tree.village, weights={"representative": 0.4, "superior": 0.6})
    assert round.group_weights == {"representative": "0.4", "superior": "0.6"} and round.state == RoundState.DRAFT
    assert [s.label for s in round.subjects.all()] == ["张书记", "李书记"]
    assert round.grade_set[0] == {"key": "good", "label": "好", "score": "100"}


def test_roll_is_frozen_when_opened(r):
    assert len(r.tokens) == 2 and all(len(t) >= 20 for t in r.tokens)
    assert set(Voter.objects.filter(round=r.round, group="masses").values_list("token_hash", flat=True)) == {rules.token_hash(t) for t in r.tokens}
    assert not Voter.objects.filter(token_hash__in=r.tokens).exists()  # only digests are stored
    assert r.round.state == RoundState.OPEN and len(r.round.roll_hash) == 64
    keys = [v.key for v in r.round.voters.all()]
    assert r.round.roll_hash == rules.roll_hash(keys, {})
    with pytest.raises(ValidationError) as exc:
        services.add_voters(r.secretary, r.round, "masses", tokens=1)
    assert "名册已冻结" in messages(exc)
    with pytest.raises(ValidationError):
        services.open_round(r.secretary, r.round)


def test_add_voters_refuses_unknown_group_and_duplicates(tree, people):
    secretary = make_user("vs", "secretary", tree.village)
    round = new_round(secretary, tree.village, weights={"representative": "1"})
    with pytest.raises(ValidationError) as exc:
        services.add_voters(secretary, round, "masses", tokens=1)
    assert "评议代表" in messages(exc)
    services.add_voters(secretary, round, "representative", users=[people.member_a])
    with pytest.raises(ValidationError):
        services.add_voters(secretary, round, "representative", users=[people.member_a])
    with pytest.raises(PermissionDenied):
        services.add_voters(people.secretary_a, round, "representative", tokens=1)


def test_cast_by_user_and_token(r):
    services.cast(r.round, BOTH_GOOD, user=r.reps[0])
    services.cast(r.round, {"zhang": "poor", "li": "average"}, token=r.tokens[0])
    assert Ballot.objects.filter(round=r.round).count() == 2
    assert set(Ballot.objects.values_list("group", flat=True)) == {"representative", "masses"}
    voter = Voter.objects.get(round=r.round, user=r.reps[0])
    assert voter.voted_at == timezone.localdate()
    assert Mark.objects.filter(round=r.round).count() == 4


def test_second_ballot_by_the_same_person_is_refused(r):
    services.cast(r.round, BOTH_GOOD, user=r.reps[0])
    with pytest.raises(ValidationError) as exc:
        services.cast(r.round, BOTH_GOOD, user=r.reps[0])
    assert "已投过票" in messages(exc)
    services.cast(r.round, BOTH_GOOD, token=r.tokens[0])
    with pytest.raises(ValidationError):
        services.cast(r.round, BOTH_GOOD, token=r.tokens[0] + "  ")  # the same token with spaces
    assert Ballot.objects.filter(round=r.round).count() == 2


def test_only_the_roll_votes(r, people):
    with pytest.raises(PermissionDenied):
        services.cast(r.round, BOTH_GOOD, user=people.member_a)
    with pytest.raises(PermissionDenied):
        services.cast(r.round, BOTH_GOOD, token="guessed-token")
    with pytest.raises(ValidationError):
        services.cast(r.round, BOTH_GOOD)  # neither user nor token
    assert not Ballot.objects.exists()


def test_ballot_outside_the_open_window_is_refused(tree, r):
    draft = new_round(r.secretary, tree.village)
    services.add_voters(r.secretary, draft, "representative", users=[r.reps[0]])
    with pytest.raises(ValidationError) as exc:
        services.cast(draft, BOTH_GOOD, user=r.reps[0])
    assert "尚未开始" in messages(exc)
    Round.objects.filter(pk=r.round.pk).update(opens_at=timezone.now() + datetime.timedelta(hours=1))
    with pytest.raises(ValidationError) as exc:
        services.cast(r.round, BOTH_GOOD, user=r.reps[0])
    assert "尚未开始" in messages(exc)
    Round.objects.filter(pk=r.round.pk).update(opens_at=timezone.now() - datetime.timedelta(days=2),
                                               closes_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError) as exc:
        services.cast(r.round, BOTH_GOOD, user=r.reps[0])
    assert "已截止" in messages(exc)
    Round.objects.filter(pk=r.round.pk).update(closes_at=None)
    services.close_round(r.secretary, r.round)
    with pytest.raises(ValidationError) as exc:
        services.cast(r.round, BOTH_GOOD, user=r.reps[1])
    assert "已截止" in messages(exc)
    assert not Ballot.objects.exists() and not Voter.objects.filter(voted_at__isnull=False).exists()


def test_grade_not_in_the_grade_set_is_refused(r):
    with pytest.raises(ValidationError) as exc:
        services.cast(r.round, {"zhang": "good", "li": "excellent"}, user=r.reps[0])
    assert "不在评价等次" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.cast(r.round, {"zhang": "good"}, user=r.reps[0])
    assert "未选择等次" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.cast(r.round, {"zhang": "good", "li": "good", "wang": "good"}, user=r.reps[0])
    assert "不属于本次评议" in messages(exc)
    # refused ballots leave the voter free to vote
    assert Voter.objects.get(round=r.round, user=r.reps[0]).voted_at is None and not Ballot.objects.exists()


def test_anonymity_nothing_links_a_ballot_to_its_voter(r):
    audit_before = AuditLog.objects.count()
    services.cast(r.round, BOTH_GOOD, user=r.reps[0])
    services.cast(r.round, {"zhang": "poor", "li": "poor"}, user=r.reps[1])
    # No foreign key from a ballot (or its marks) to a voter or a user, no date or time field, random ids.
    for model in (Ballot, Mark):
        for f in model._meta.get_fields():
            if f.is_relation and f.many_to_one:
                assert f.related_model in (Round, Ballot), (model, f.name)
            assert not isinstance(f, (models.DateField, models.DateTimeField, models.TimeField)), (model, f.name)
        assert isinstance(model._meta.pk, models.UUIDField)
    # the voter keeps only the date
    assert isinstance(Voter._meta.get_field("voted_at"), models.DateField)
    assert not isinstance(Voter._meta.get_field("voted_at"), models.DateTimeField)
    assert not any(f.related_model is Ballot for f in Voter._meta.get_fields() if f.is_relation)
    # no audit row, no notification written by casting (an audit row would carry the voter and the time)
    assert AuditLog.objects.count() == audit_before
    # ballots list in random-id order, not in the order they were cast
    assert Ballot._meta.ordering == ["id"]


def test_paper_counts_may_not_exceed_the_roll(r):
    services.cast(r.round, BOTH_GOOD, token=r.tokens[0])
    with pytest.raises(ValidationError) as exc:
        services.enter_paper_counts(r.secretary, r.round, "masses", {"zhang": {"good": 2}})  # 1 online + 2 paper > 2
    assert "超过群众名册 2 人" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.enter_paper_counts(r.secretary, r.round, "masses", {"zhang": {"great": 1}})
    assert "不在评价等次" in messages(exc)
    with pytest.raises(ValidationError):
        services.enter_paper_counts(r.secretary, r.round, "masses", {"zhang": {"good": -1}})
    with pytest.raises(ValidationError):
        services.enter_paper_counts(r.secretary, r.round, "superior", {"zhang": {"good": 1}})
    with pytest.raises(PermissionDenied):
        services.enter_paper_counts(r.people.secretary_a, r.round, "masses", {"zhang": {"good": 1}})
    assert not PaperCount.objects.exists()
    services.enter_paper_counts(r.secretary, r.round, "masses", {"zhang": {"good": 1}, "li": {"poor": 1}})
    services.enter_paper_counts(r.secretary, r.round, "masses", {"zhang": {"average": 1}, "li": {"poor": 1}})  # a correction replaces
    assert sorted(PaperCount.objects.values_list("subject_key", "grade_key", "count")) == [("li", "poor", 1), ("zhang", "average", 1)]


def test_paper_roll(tree, people):
    secretary = make_user("vs", "secretary", tree.village)
    round = new_round(secretary, tree.village)
    services.add_voters(secretary, round, "masses", paper=3)
    services.open_round(secretary, round)
    services.enter_paper_counts(secretary, round, "masses", {"zhang": {"good": 2, "poor": 1}, "li": {"good": 3}})
    with pytest.raises(ValidationError):
        services.enter_paper_counts(secretary, round, "masses", {"zhang": {"good": 4}})
    res = results.results(round)
    assert res.groups[0].roll == 3 and res.groups[0].paper == 3 and res.groups[0].turnout == Decimal("1.0000")


def test_close_and_publish(r):
    with pytest.raises(ValidationError):
        services.publish(r.secretary, r.round)
    with pytest.raises(PermissionDenied):
        services.close_round(r.people.secretary_a, r.round)
    services.close_round(r.secretary, r.round)
    services.publish(r.secretary, r.round)
    r.round.refresh_from_db()
    assert r.round.state == RoundState.PUBLISHED and r.round.published_at
    assert AuditLog.objects.filter(action=AuditLog.Action.PUBLISH, object_id=str(r.round.pk)).exists()
    with pytest.raises(ValidationError):
        services.enter_paper_counts(r.secretary, r.round, "masses", {"zhang": {"good": 1}})


def test_results_counts_shares_and_weighted_score(r):
    # representatives: zhang good + poor (mean 50); masses: zhang good (online) + fairly good (paper) (mean 90)
    services.cast(r.round, {"zhang": "good", "li": "good"}, user=r.reps[0])
    services.cast(r.round, {"zhang": "poor", "li": "good"}, user=r.reps[1])
    services.cast(r.round, {"zhang": "good", "li": "average"}, token=r.tokens[0])
    services.enter_paper_counts(r.secretary, r.round, "masses", {"zhang": {"fairly_good": 1}, "li": {"average": 1}})
    res = results.results(r.round)
    zhang = res.subject("zhang")
    assert zhang.counts["representative"] == {"good": 1, "fairly_good": 0, "average": 0, "poor": 1}
    assert zhang.counts["masses"] == {"good": 1, "fairly_good": 1, "average": 0, "poor": 0}
    assert zhang.totals == {"good": 2, "fairly_good": 1, "average": 0, "poor": 1} and zhang.total == 4
    assert zhang.shares["good"] == Decimal("0.5000") and zhang.shares["poor"] == Decimal("0.2500")
    assert zhang.group_means == {"representative": Decimal("50.00"), "masses": Decimal("90.00")}
    assert zhang.score == Decimal("74.00")  # 0.4 × 50 + 0.6 × 90
    li = res.subject("li")
    assert li.score == Decimal("76.00")  # 0.4 × 100 + 0.6 × 60
    turnout = {g.group: g for g in res.groups}
    assert (turnout["representative"].electronic, turnout["representative"].turnout) == (2, Decimal("1.0000"))
    assert (turnout["masses"].electronic, turnout["masses"].paper, turnout["masses"].turnout) == (1, 1, Decimal("1.0000"))
    assert results.share_at_least(r.round, "zhang", {"good", "fairly_good"}) == Decimal("0.7500")
    assert results.share_at_least(r.round, "nobody", {"good"}) is None


def test_weighted_score_leaves_out_a_group_without_votes(r):
    services.cast(r.round, {"zhang": "fairly_good", "li": "good"}, user=r.reps[0])
    res = results.results(r.round)
    assert res.subject("zhang").score == Decimal("80.00")  # only representatives voted: their mean, not 0.4 × 80


def test_results_without_weights_and_queries(tree, django_assert_max_num_queries):
    secretary = make_user("vs", "secretary", tree.village)
    round = new_round(secretary, tree.village, grade_set=rules.GRADES_SATISFACTION)
    voters = [make_user(f"m{i}") for i in range(5)]
    services.add_voters(secretary, round, "member", users=voters)
    services.open_round(secretary, round)
    for i, v in enumerate(voters):
        services.cast(round, {"zhang": "satisfied" if i < 3 else "dissatisfied", "li": "basically_satisfied"}, user=v)
    with django_assert_max_num_queries(6):
        res = results.results(round)
    assert res.subject("zhang").score == Decimal("60.00") and res.subject("li").score == Decimal("60.00")
    assert results.share_at_least(round, "zhang", {"satisfied", "basically_satisfied"}) == Decimal("0.6000")
