import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.conftest import make_member, make_user
from grassroots.members.choices import LeftReason, State
from grassroots.members.models import MemberEvent
from grassroots.orglife import appraisal as svc
from grassroots.orglife.choices import AppraisalState, FollowUp, Grade
from grassroots.orglife.models import AppraisalResult, Ballot, BallotReceipt

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(tree, people, members):
    """Branch A with four full members who can log in (张三 + three more) and the probationary 李四."""
    voters = [members.a1]
    for i in range(3):
        voters.append(make_member(tree.branch_a, f"评议{i}", user=make_user(f"voter{i}")))
    return voters


def test_ballot_table_has_no_link_to_the_voter(tree, people, branch):
    ballot_columns = {f.column for f in Ballot._meta.concrete_fields}
    assert ballot_columns == {"id", "appraisal_id", "subject_id", "grade"}
    assert {f.name for f in BallotReceipt._meta.concrete_fields} == {"id", "appraisal", "voter"}
    appraisal = svc.open_appraisal(people.secretary_a, tree.branch_a, 2025)
    svc.cast_ballot(branch[1].user, appraisal, {m.pk: Grade.QUALIFIED for m in branch})
    assert BallotReceipt.objects.get().voter == branch[1]
    ids = list(Ballot.objects.values_list("id", flat=True))
    assert len(ids) == 4 and all(isinstance(i.int, int) for i in ids)  # random keys, not a sequence


def test_probationary_members_vote_but_are_not_graded(tree, people, members, branch):
    appraisal = svc.open_appraisal(people.secretary_a, tree.branch_a, 2025)
    assert set(appraisal.results.values_list("member_id", flat=True)) == {m.pk for m in branch}
    assert members.a2.pk not in set(appraisal.results.values_list("member_id", flat=True))


def test_each_member_votes_once_and_only_members_vote(tree, people, members, branch):
    appraisal = svc.open_appraisal(people.secretary_a, tree.branch_a, 2025)
    grades = {m.pk: Grade.QUALIFIED for m in branch}
    svc.cast_ballot(people.member_a, appraisal, grades)
    with pytest.raises(ValidationError) as exc:
        svc.cast_ballot(people.member_a, appraisal, grades)
    assert "您已经投过票，不能重复投票" in exc.value.messages
    with pytest.raises(PermissionDenied):
        svc.cast_ballot(people.secretary_b, appraisal, grades)  # no member record
    outsider = make_member(tree.branch_b, "外支部", user=make_user("outsider"))
    with pytest.raises(PermissionDenied):
        svc.cast_ballot(outsider.user, appraisal, grades)
    with pytest.raises(ValidationError) as exc:
        svc.cast_ballot(branch[1].user, appraisal, {branch[0].pk: Grade.QUALIFIED})
    assert exc.value.message_dict["grades"] == ["请对每一名参评党员给出等次，且只评本次参评的党员"]
    assert Ballot.objects.count() == 4 and BallotReceipt.objects.count() == 1


def test_tally_conclusion_and_excellent_limit(tree, people, branch):
    appraisal = svc.open_appraisal(people.secretary_a, tree.branch_a, 2025)
    target = branch[3]
    for i, voter in enumerate(branch):
        grades = {m.pk: Grade.QUALIFIED for m in branch}
        grades[target.pk] = Grade.UNQUALIFIED if i < 3 else Grade.BASIC
        grades[branch[0].pk] = Grade.EXCELLENT
        svc.cast_ballot(voter.user, appraisal, grades)
    counts = svc.tally(appraisal)
    assert counts[target.pk] == {"excellent": 0, "qualified": 0, "basic": 1, "unqualified": 3}
    assert counts[branch[0].pk]["excellent"] == 4
    two_excellent = {m.pk: Grade.QUALIFIED for m in branch} | {branch[0].pk: Grade.EXCELLENT, branch[1].pk: Grade.EXCELLENT}
    with pytest.raises(ValidationError) as exc:
        svc.conclude(people.secretary_a, appraisal, two_excellent)
    assert "不超过参评党员的三分之一（参评 4 人，最多 1 人）" in exc.value.message_dict["grades"][0]
    with pytest.raises(PermissionDenied):
        svc.conclude(people.secretary_b, appraisal, two_excellent)
    conclusions = {m.pk: Grade.QUALIFIED for m in branch} | {branch[0].pk: Grade.EXCELLENT, target.pk: Grade.UNQUALIFIED}
    svc.conclude(people.secretary_a, appraisal, conclusions)
    appraisal.refresh_from_db()
    assert appraisal.state == AppraisalState.CONCLUDED
    result = AppraisalResult.objects.get(appraisal=appraisal, member=target)
    assert (result.grade, result.unqualified_votes, result.basic_votes) == (Grade.UNQUALIFIED, 3, 1)
    with pytest.raises(ValidationError):
        svc.cast_ballot(branch[1].user, appraisal, conclusions)


def test_unqualified_correction_then_removal_through_member_service(tree, people, branch):
    appraisal = svc.open_appraisal(people.secretary_a, tree.branch_a, 2025)
    target = branch[3]
    svc.conclude(people.secretary_a, appraisal, {m.pk: Grade.QUALIFIED for m in branch} | {target.pk: Grade.UNQUALIFIED})
    result = AppraisalResult.objects.get(appraisal=appraisal, member=target)
    qualified = AppraisalResult.objects.get(appraisal=appraisal, member=branch[1])
    with pytest.raises(ValidationError):
        svc.follow_up(people.secretary_a, qualified, FollowUp.CORRECTION, decided_on=datetime.date(2026, 1, 10))
    svc.follow_up(people.secretary_a, result, FollowUp.CORRECTION, decided_on=datetime.date(2026, 1, 10))
    result.refresh_from_db()
    assert result.correction_deadline == datetime.date(2027, 1, 10)  # one year by default
    with pytest.raises(ValidationError) as exc:
        svc.follow_up(people.secretary_a, result, FollowUp.REMOVED, decided_on=datetime.date(2026, 2, 1))
    assert exc.value.message_dict["follow_up_document"] == ["请填写支部大会决定及上级批准的文号"]
    svc.follow_up(people.secretary_a, result, FollowUp.REMOVED, decided_on=datetime.date(2026, 2, 1), document="新村党委〔2026〕3号")
    target.refresh_from_db()
    assert (target.state, target.left_reason, target.left_on) == (State.LEFT, LeftReason.REMOVED, datetime.date(2026, 2, 1))
    assert MemberEvent.objects.filter(member=target, kind="state").exists()
    with pytest.raises(ValidationError):
        svc.follow_up(people.secretary_a, result, FollowUp.CORRECTED, decided_on=datetime.date(2026, 2, 2))


def test_open_twice_or_for_a_sibling_is_refused(tree, people, branch):
    svc.open_appraisal(people.secretary_a, tree.branch_a, 2025)
    with pytest.raises(ValidationError) as exc:
        svc.open_appraisal(people.secretary_a, tree.branch_a, 2025)
    assert exc.value.message_dict["year"] == ["该党支部 2025 年的民主评议已经开展"]
    with pytest.raises(PermissionDenied):
        svc.open_appraisal(people.secretary_a, tree.branch_b, 2025)
    with pytest.raises(ValidationError):
        svc.open_appraisal(people.dept_a, tree.village, 2025)
