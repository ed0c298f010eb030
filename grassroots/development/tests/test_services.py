import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.core import crypto
from grassroots.core.models import AuditLog
from grassroots.development import services
from grassroots.development.models import Applicant, Stage, StepRecord
from grassroots.development.synthetic import SCHEDULE, advance, step_data
from grassroots.members.models import Member
from grassroots.members.rules import id_check_char
from grassroots.members.services import transfer_member

from .conftest import TODAY, person

pytestmark = pytest.mark.django_db
D = datetime.date


def on(applicant, code):
    return applicant.applied_on + datetime.timedelta(days=SCHEDULE[code])


def to(dev, until, today=TODAY):
    return advance(dev.applicant, until, branch_actor=dev.secretary, higher_actor=dev.town, today=today)


def test_application_encrypts_personal_data_and_is_audited(dev):
    a = dev.applicant
    assert a.stage == Stage.APPLICANT and a.rule_set == "2014"
    assert a.phone_masked == "138****5678" and "13812345678" not in a.phone_encrypted
    assert crypto.decrypt(a.phone_encrypted) == "13812345678"
    assert a.talk_due_on == D(2024, 2, 10)
    assert a.steps.get().code == "application"
    assert AuditLog.objects.filter(action="create", object_id=str(a.pk)).exists()


def test_application_under_18_is_refused_and_nothing_saved(tree, people):
    with pytest.raises(ValidationError) as exc:
        services.apply(people.secretary_a, tree.branch_a, person(birth_date=D(2008, 2, 29), applied_on=D(2026, 2, 28)), today=TODAY)
    assert "birth_date" in exc.value.error_dict
    assert not Applicant.objects.exists() and not StepRecord.objects.exists()


def test_application_checks_the_id_number(tree, people):
    first17 = "32041219980304001"
    good = first17 + id_check_char(first17)
    with pytest.raises(ValidationError) as exc:
        services.apply(people.secretary_a, tree.branch_a, person(id_number=good[:-1] + "0" if good[-1] != "0" else good[:-1] + "1"), today=TODAY)
    assert "id_number" in exc.value.error_dict
    a = services.apply(people.secretary_a, tree.branch_a, person(id_number=good), today=TODAY)
    assert a.id_number_masked.startswith("3204") and "*" in a.id_number_masked
    with pytest.raises(ValidationError, match="已有正在办理"):
        services.apply(people.secretary_b, tree.branch_b, person(id_number=good), today=TODAY)


def test_application_only_to_a_branch_the_actor_manages(tree, people):
    with pytest.raises(PermissionDenied):
        services.apply(people.secretary_b, tree.branch_a, person(), today=TODAY)
    with pytest.raises(ValidationError, match="党支部"):
        services.apply(people.dept_a, tree.village, person(), today=TODAY)


def test_a_branch_secretary_cannot_do_the_higher_committees_steps(dev, people):
    to(dev, "activist")
    with pytest.raises(PermissionDenied, match="上级党委"):
        services.record_step(dev.secretary, dev.applicant, "activist_filing", date=on(dev.applicant, "activist_filing"), today=TODAY)
    record = services.record_step(dev.town, dev.applicant, "activist_filing", date=on(dev.applicant, "activist_filing"), today=TODAY)
    assert record.actor == dev.town and record.number == 4
    with pytest.raises(PermissionDenied):
        services.record_step(people.secretary_b, dev.applicant, "contacts", date=on(dev.applicant, "contacts"), data={"contacts": [1]}, today=TODAY)


def test_the_village_committee_above_the_branch_counts_as_higher(dev):
    to(dev, "activist")
    assert services.record_step(dev.village, dev.applicant, "activist_filing", date=on(dev.applicant, "activist_filing"), today=TODAY)


def test_out_of_order_step_is_refused_and_nothing_saved(dev):
    before = StepRecord.objects.count(), AuditLog.objects.count()
    with pytest.raises(ValidationError, match="请先办理"):
        services.record_step(dev.secretary, dev.applicant, "activist", date=D(2024, 3, 1), today=TODAY)
    assert (StepRecord.objects.count(), AuditLog.objects.count()) == before


def test_late_talk_is_recorded_with_a_warning_and_overdue_until_then(dev):
    assert Applicant.objects.overdue(TODAY).filter(pk=dev.applicant.pk).exists()
    record = services.record_step(dev.secretary, dev.applicant, "talk", date=D(2024, 3, 1), today=TODAY)
    assert "逾期" in record.warning
    dev.applicant.refresh_from_db()
    assert dev.applicant.talk_due_on is None


def test_contacts_and_sponsors_must_be_full_members_in_scope(dev, members):
    to(dev, "activist_filing")
    with pytest.raises(ValidationError) as exc:
        services.record_step(dev.secretary, dev.applicant, "contacts", date=on(dev.applicant, "contacts"), data={"contacts": [members.a2.pk]}, today=TODAY)
    assert "不是正式党员" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.record_step(dev.secretary, dev.applicant, "contacts", date=on(dev.applicant, "contacts"), data={"contacts": [members.b1.pk]}, today=TODAY)
    assert "不在您的管理范围内" in str(exc.value)


def test_the_named_roll_excludes_probationary_suspended_and_departed_members(dev, tree, members, root_admin):
    roll = set(services.voting_roll(tree.branch_a, TODAY))
    assert roll == {members.a1, dev.a3}  # 李四 in the group is probationary
    Member.objects.filter(pk=dev.a3.pk).update(state="suspended")
    assert set(services.voting_roll(tree.branch_a, TODAY)) == {members.a1}
    assert set(services.voting_roll(tree.group_a, TODAY)) == {members.a1}  # a group votes in its branch


def test_assembly_vote_refuses_without_quorum_and_records_a_failed_vote(dev, members):
    to(dev, "application_form")
    day = on(dev.applicant, "admission_vote")
    with pytest.raises(ValidationError) as exc:
        services.record_step(dev.secretary, dev.applicant, "admission_vote", date=day, today=TODAY,
                             data={"present_ids": [members.a1.pk], "votes_for": 1, "against": 0, "abstain": 0})
    assert "半数" in str(exc.value.error_dict["present"])
    with pytest.raises(ValidationError) as exc:
        services.record_step(dev.secretary, dev.applicant, "admission_vote", date=day, today=TODAY,
                             data={"present_ids": [members.a1.pk, dev.a3.pk], "votes_for": 2, "against": 1, "abstain": 0})
    assert "votes_for" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.record_step(dev.secretary, dev.applicant, "admission_vote", date=day, today=TODAY,
                             data={"present_ids": [members.a2.pk, dev.a3.pk], "votes_for": 2, "against": 0, "abstain": 0})
    assert "present_ids" in exc.value.error_dict  # the probationary member has no vote
    failed = services.record_step(dev.secretary, dev.applicant, "admission_vote", date=day, today=TODAY,
                                  data={"present_ids": [members.a1.pk, dev.a3.pk], "votes_for": 1, "against": 1, "abstain": 0})
    assert failed.passed is False and failed.data["entitled"] == 2
    dev.applicant.refresh_from_db()
    assert dev.applicant.admitted_on is None
    with pytest.raises(ValidationError, match="请先办理"):
        services.record_step(dev.town, dev.applicant, "committee_talk", date=day, today=TODAY)
    passed = services.record_step(dev.secretary, dev.applicant, "admission_vote", date=day + datetime.timedelta(days=1), today=TODAY,
                                  data={"present_ids": [members.a1.pk, dev.a3.pk], "votes_for": 2, "against": 0, "abstain": 0})
    assert passed.passed and AuditLog.objects.filter(action="vote").count() == 2


def test_approval_creates_the_probationary_member(dev):
    a = to(dev, "approval")
    m = a.member
    assert a.stage == Stage.PROBATIONARY and m.status == "probationary"
    assert m.joined_on == on(a, "admission_vote") and m.full_on is None and m.org == a.org
    assert crypto.decrypt(m.phone_encrypted) == "13812345678" and m.name == a.name
    assert a.probation_ends_on == on(a, "admission_vote").replace(year=on(a, "admission_vote").year + 1)
    assert AuditLog.objects.filter(action="approve", object_id=str(a.pk)).exists()


def test_full_membership_updates_the_member(dev):
    a = to(dev, "archive")
    a.member.refresh_from_db()
    assert a.stage == Stage.FULL and a.member.status == "full" and a.member.full_on == a.probation_ends_on
    assert services.allowed_steps(a) == []


def test_extension_moves_the_probation_end_once(dev, root_admin):
    a = to(dev, "full_application")
    end = a.probation_ends_on
    with pytest.raises(PermissionDenied):
        services.record_step(dev.secretary, a, "extend", date=end, data={"months": 6}, today=TODAY)
    services.record_step(dev.town, a, "extend", date=end - datetime.timedelta(days=1), data={"months": 6}, today=TODAY)
    a.refresh_from_db()
    assert a.probation_ends_on == D(end.year + (end.month > 6), (end.month + 5) % 12 + 1, end.day)
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.record_step(dev.town, a, "extend", date=end, data={"months": 6}, today=TODAY)
    with pytest.raises(ValidationError, match="预备期满"):
        services.record_step(dev.secretary, a, "full_vote", date=end, data=step_data(a, "full_vote", end), today=TODAY)


def test_cancelling_a_probationary_member_leaves_the_register(dev):
    a = to(dev, "oath")
    with pytest.raises(ValidationError, match="理由"):
        services.record_step(dev.town, a, "cancel", date=TODAY, documents="湖委〔2026〕9号", today=TODAY)
    services.record_step(dev.town, a, "cancel", date=TODAY, documents="湖委〔2026〕9号", data={"reason": "不履行党员义务"}, today=TODAY)
    a.refresh_from_db()
    a.member.refresh_from_db()
    assert a.stage == Stage.DISQUALIFIED and a.member.state == "left" and a.member.left_reason == "disqualified"
    assert a.member.left_document == "湖委〔2026〕9号"
    with pytest.raises(ValidationError, match="不能再办理"):
        services.record_step(dev.secretary, a, "probation_review", date=TODAY, today=TODAY)


def test_withdrawal_before_probation(dev):
    services.record_step(dev.secretary, dev.applicant, "withdraw", date=D(2024, 2, 1), data={"reason": "本人申请"}, today=TODAY)
    dev.applicant.refresh_from_db()
    assert dev.applicant.stage == Stage.WITHDRAWN and dev.applicant.talk_due_on is None
    assert not Applicant.objects.overdue(TODAY).exists()


def test_a_transfer_carries_the_probation_record_to_the_new_branch(dev, tree, people, root_admin):
    a = to(dev, "oath")
    transfer_member(people.secretary_b, a.member, tree.branch_b, happened_on=TODAY, document="转接介绍信 001")
    assert not Applicant.objects.visible_to(people.secretary_a).filter(pk=a.pk).exists()
    assert Applicant.objects.visible_to(people.secretary_b).filter(pk=a.pk).exists()
    with pytest.raises(PermissionDenied):
        services.record_step(people.secretary_a, a, "probation_review", date=on(a, "probation_review"), today=TODAY)
    services.record_step(people.secretary_b, a, "probation_review", date=on(a, "probation_review"), today=TODAY)
    a.refresh_from_db()
    assert a.probation_ends_on == a.member.joined_on.replace(year=a.member.joined_on.year + 1)


def test_correction_is_a_new_record_with_a_reason(dev):
    a = to(dev, "activist")
    talk = a.steps.get(code="talk")
    with pytest.raises(ValidationError, match="理由"):
        services.correct_step(dev.secretary, talk, date=D(2024, 1, 25), today=TODAY)
    with pytest.raises(ValidationError, match="先后顺序"):
        services.correct_step(dev.secretary, talk, date=D(2024, 4, 1), reason="笔误", today=TODAY)
    new = services.correct_step(dev.secretary, talk, date=D(2024, 1, 25), reason="笔误", today=TODAY)
    talk.refresh_from_db()
    assert talk.date == on(a, "talk") and new.corrects == talk and new.reason == "笔误"
    assert [r.pk for r in services.effective_records(a) if r.code == "talk"] == [new.pk]
    with pytest.raises(ValidationError, match="已被更正"):
        services.correct_step(dev.secretary, talk, date=D(2024, 1, 26), reason="再改", today=TODAY)
    with pytest.raises(ValidationError, match="不能更正"):
        services.correct_step(dev.secretary, a.steps.get(code="activist"), date=D(2024, 3, 2), reason="改", today=TODAY)
    assert AuditLog.objects.filter(action="correct").count() == 1


def test_overdue_conditions(dev):
    a = to(dev, "approval")
    end = a.probation_ends_on
    Applicant.objects.filter(pk=a.pk).update(review_due_on=None)
    assert not Applicant.objects.overdue(end - datetime.timedelta(days=31)).exists()
    assert Applicant.objects.overdue(end - datetime.timedelta(days=30)).exists()
    reasons = a.overdue_reasons(end + datetime.timedelta(days=1))
    assert any("预备期已满" in r for r in reasons)


def test_the_other_side_is_told_what_waits_for_it(dev, people):
    from grassroots.core.models import Notification

    to(dev, "talk")
    services.record_step(dev.secretary, dev.applicant, "activist", date=on(dev.applicant, "activist"), today=TODAY)
    note = Notification.objects.get(recipient=dev.village)  # the nearest committee above the branch
    assert note.title == "待上级党委办理：陈晓东 报上级党委备案" and note.kind == "development"
    assert not Notification.objects.filter(recipient=dev.town).exists()
    services.record_step(dev.town, dev.applicant, "activist_filing", date=on(dev.applicant, "activist_filing"), today=TODAY)
    assert Notification.objects.filter(recipient=people.secretary_a, title__startswith="上级党委已办理").count() == 1


def test_the_2026_rule_set_through_the_services(tree, people, dev, settings):
    settings.GRASSROOTS_DEVELOPMENT_2026_EFFECTIVE = "2024-01-01"
    a = services.apply(people.secretary_a, tree.branch_a, person(name="新规申请人", applied_on=D(2024, 2, 1)), today=TODAY)
    assert a.rule_set == "2026"
    a = advance(a, "review", branch_actor=dev.secretary, higher_actor=dev.town, today=TODAY)
    with pytest.raises(ValidationError, match="发展对象公示"):
        services.record_step(dev.secretary, a, "candidate", date=on(a, "candidate"), today=TODAY)
    a = advance(a, "archive", branch_actor=dev.secretary, higher_actor=dev.town, today=TODAY)
    assert a.stage == Stage.FULL
    assert a.steps.get(code="notice").number == 7 and a.steps.get(code="approval").number == 18
