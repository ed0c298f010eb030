import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from grassroots.core.models import AuditLog, Notification
from grassroots.decisions import services
from grassroots.decisions.choices import MatterState, StepKind, StepState
from grassroots.decisions.models import Matter, Opinion, Step, StepAmendment

from .factories import DAY, REPS, full_members, new_matter, roll, step, to_resolution, village_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def v(tree, people, members):
    from types import SimpleNamespace

    secretary, monitor, town = village_people(tree)
    roll(tree, secretary)
    voters = [members.a1, members.b1, *full_members(tree, 3)]  # 5 full members in the village (李四 is probationary)
    matter = new_matter(secretary, tree.village)
    return SimpleNamespace(secretary=secretary, monitor=monitor, town=town, voters=voters, matter=matter, tree=tree, people=people,
                           members=members)


def messages_of(exc):
    return " ".join(m for ms in exc.value.message_dict.values() for m in ms) if hasattr(exc.value, "error_dict") else " ".join(exc.value.messages)


def test_create_matter_permission_and_rules(v):
    with pytest.raises(PermissionDenied):
        new_matter(v.people.secretary_a, v.tree.village)  # a branch secretary does not manage the village
    with pytest.raises(ValidationError) as exc:
        new_matter(v.people.dept_a, v.tree.town)  # a township is not a village
    assert "村、社区" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.create_matter(v.secretary, v.tree.village, {"title": "", "category": "x"})
    assert set(exc.value.message_dict) == {"title", "category"}
    assert v.matter.step_set == "village" and v.matter.stage == StepKind.PROPOSAL
    assert AuditLog.objects.for_object(v.matter).filter(action="create").exists()


def test_community_uses_its_own_step_set(tree, people):
    from grassroots.conftest import make_user
    from grassroots.core.roles import Role

    dept_b = make_user("tn", Role.ORG_DEPT, tree.district_b)
    matter = new_matter(dept_b, tree.b_branch)
    assert matter.step_set == "community"
    assert services.step_set_of(matter).label_of("resolution").startswith("居民代表会议")


@pytest.mark.parametrize("kind", ["consultation", "review", "resolution"])
def test_skipping_the_proposal_is_refused(v, kind):
    with pytest.raises(ValidationError) as exc:
        services.record_step(v.secretary, v.matter, kind, {"held_on": DAY, "content": "x"})
    assert "必须按顺序" in messages_of(exc)
    assert not Step.objects.exists()


@pytest.mark.parametrize("kind", ["resolution_disclosure", "progress_disclosure", "result_disclosure"])
def test_disclosures_cannot_be_recorded_as_meetings_or_published_early(v, kind):
    with pytest.raises(ValidationError):
        services.record_step(v.secretary, v.matter, kind, {"held_on": DAY, "content": "x"})
    with pytest.raises(ValidationError) as exc:
        services.publish(v.secretary, v.matter, kind, title="t", body="b")
    assert "必须按顺序" in messages_of(exc)


def test_every_skip_and_repeat_is_refused_along_the_way(v):
    order = ["proposal", "consultation", "review", "resolution"]
    ids = [m.pk for m in v.voters]
    extra = {"review": {"roll": ids, "votes_for": 5}}
    for i, kind in enumerate(order):
        for other in order:
            if other != kind:
                with pytest.raises(ValidationError):
                    services.record_step(v.secretary, v.matter, other, {"held_on": DAY, "content": "x"})
        s = step(v.secretary, v.matter, kind, confirm=False, **extra.get(kind, {}))
        with pytest.raises(ValidationError):  # the next step waits until this one is confirmed
            if i + 1 < len(order):
                services.record_step(v.secretary, v.matter, order[i + 1], {"held_on": DAY, "content": "x"})
            else:
                raise ValidationError("last")
        services.confirm_step(v.secretary, s)
        with pytest.raises(ValidationError):
            services.confirm_step(v.secretary, s)
    v.matter.refresh_from_db()
    assert v.matter.state == MatterState.RESOLVED
    assert [s.kind for s in v.matter.steps.order_by("seq")] == order


def test_a_draft_can_be_revised_a_confirmed_step_cannot(v):
    s = step(v.secretary, v.matter, "proposal", confirm=False)
    s2 = services.record_step(v.secretary, v.matter, "proposal", {"held_on": DAY, "content": "修改后的提议", "attendees": ["甲"]})
    assert s2.pk == s.pk and Step.objects.count() == 1
    services.confirm_step(v.secretary, s2)
    with pytest.raises(ValidationError):
        services.record_step(v.secretary, v.matter, "proposal", {"held_on": DAY, "content": "再改", "attendees": ["甲"]})
    assert Step.objects.get().content == "修改后的提议"


def test_dates_follow_the_order(v):
    step(v.secretary, v.matter, "proposal")
    with pytest.raises(ValidationError) as exc:
        step(v.secretary, v.matter, "consultation", day=DAY - datetime.timedelta(days=1))
    assert "held_on" in exc.value.message_dict
    with pytest.raises(ValidationError):
        step(v.secretary, v.matter, "consultation", day=datetime.date.today() + datetime.timedelta(days=2))


def test_member_assembly_counts_only_full_members_of_the_village(v):
    step(v.secretary, v.matter, "proposal")
    step(v.secretary, v.matter, "consultation")
    with pytest.raises(ValidationError) as exc:
        step(v.secretary, v.matter, "review", roll=[v.members.other.pk], votes_for=0)
    assert "roll" in exc.value.message_dict
    # 5 entitled; 3 full present (+ the probationary 李四): 3 > 2.5 proceeds; 3 for > 2.5 passes (national default)
    s = step(v.secretary, v.matter, "review", confirm=False, roll=[m.pk for m in v.voters[:3]] + [v.members.a2.pk], votes_for=3)
    assert (s.entitled, s.present, s.quorum, s.passed) == (5, 3, True, True)
    assert s.roll.count() == 4


def test_votes_cannot_exceed_those_present(v):
    step(v.secretary, v.matter, "proposal")
    step(v.secretary, v.matter, "consultation")
    with pytest.raises(ValidationError) as exc:
        step(v.secretary, v.matter, "review", roll=[v.voters[0].pk], votes_for=2)
    assert "超过到会人数" in messages_of(exc)
    assert v.matter.steps.count() == 2  # nothing half-saved


def test_representatives_must_be_registered_and_quorum_at_the_boundary(v):
    with pytest.raises(ValidationError) as exc:
        to_resolution(v.secretary, v.matter, v.voters, attendees=["陌生人", *REPS[:9]])
    assert "陌生人" in messages_of(exc)
    s = step(v.secretary, v.matter, "resolution", confirm=False, attendees=REPS[:9], votes_for=9)
    assert (s.entitled, s.present, s.quorum, s.passed) == (15, 9, False, False)
    s = step(v.secretary, v.matter, "resolution", confirm=False, attendees=REPS[:10], votes_for=5)
    assert (s.quorum, s.passed) == (True, False)
    s = step(v.secretary, v.matter, "resolution", confirm=False, attendees=REPS[:10], votes_for=6)
    assert (s.quorum, s.passed) == (True, True)


def test_villagers_meeting_against_the_roll(v):
    s = to_resolution(v.secretary, v.matter, v.voters, body="villagers", attendees=[], present=400, households_present=200, votes_for=201)
    assert (s.entitled, s.households, s.quorum, s.passed) == (1000, 300, True, True)


def test_failed_vote_back_to_a_new_round_keeps_the_failed_round(v):
    failed = to_resolution(v.secretary, v.matter, v.voters, votes_for=5)
    v.matter.refresh_from_db()
    assert failed.passed is False and v.matter.state == MatterState.FAILED
    with pytest.raises(ValidationError):  # nothing may be recorded until the village decides
        step(v.secretary, v.matter, "proposal")
    with pytest.raises(ValidationError):
        services.decide_after_failure(v.secretary, v.matter, "new_round", "")
    services.decide_after_failure(v.secretary, v.matter, "new_round", "修改方案后重新提议")
    v.matter.refresh_from_db()
    assert (v.matter.state, v.matter.round, v.matter.stage) == (MatterState.DELIBERATING, 2, StepKind.PROPOSAL)
    assert Step.objects.get(pk=failed.pk).after_failure == "new_round"
    s = step(v.secretary, v.matter, "proposal")
    assert (s.round, s.seq) == (2, 1)
    assert v.matter.steps.filter(round=1).count() == 4


def test_failed_vote_ends_the_matter(v):
    step(v.secretary, v.matter, "proposal")
    step(v.secretary, v.matter, "consultation")
    step(v.secretary, v.matter, "review", roll=[m.pk for m in v.voters[:2]], votes_for=2)  # 2 of 5 present: no quorum
    services.decide_after_failure(v.secretary, v.matter, "end", "村民意见分歧大，暂不实施")
    v.matter.refresh_from_db()
    assert v.matter.state == MatterState.ENDED
    assert services.allowed_kinds(v.matter) == []
    with pytest.raises(ValidationError):
        services.decide_after_failure(v.secretary, v.matter, "new_round", "再试")


def test_amendment_keeps_the_step_and_refuses_numbers(v):
    s = step(v.secretary, v.matter, "proposal")
    with pytest.raises(ValidationError) as exc:
        services.amend_step(v.secretary, s, field="votes_for", value="9", reason="x")
    assert "field" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.amend_step(v.secretary, s, field="content", value="更正", reason="")
    assert "reason" in exc.value.message_dict
    a = services.amend_step(v.secretary, s, field="content", value="提议硬化村道 2.5 公里", reason="笔误")
    assert Step.objects.get(pk=s.pk).content == "提议硬化村道" and a.before == "提议硬化村道"
    assert AuditLog.objects.for_object(s).filter(action="correct", note="笔误").exists()
    with pytest.raises(PermissionDenied):
        services.amend_step(v.people.secretary_a, s, field="content", value="x", reason="y")


def test_draft_steps_are_not_amended(v):
    s = step(v.secretary, v.matter, "proposal", confirm=False)
    with pytest.raises(ValidationError):
        services.amend_step(v.secretary, s, field="content", value="x", reason="y")
    assert not StepAmendment.objects.exists()


def _publish_all(v):
    to_resolution(v.secretary, v.matter, v.voters)
    today = datetime.date.today()
    r = services.publish(v.secretary, v.matter, "resolution_disclosure", title="决议公开", body="同意硬化村道", held_on=today)
    p = services.publish(v.secretary, v.matter, "progress_disclosure", title="进度", body="完成 50%", amount="150000", held_on=today)
    f = services.publish(v.secretary, v.matter, "result_disclosure", title="结果", body="竣工验收合格", amount="348000.5", held_on=today)
    return r, p, f


def test_both_disclosures_are_published_in_order(v):
    to_resolution(v.secretary, v.matter, v.voters)
    with pytest.raises(ValidationError):
        services.publish(v.secretary, v.matter, "progress_disclosure", title="t", body="b")
    r = services.publish(v.secretary, v.matter, "resolution_disclosure", title="决议公开", body="同意硬化村道")
    v.matter.refresh_from_db()
    assert v.matter.state == MatterState.IMPLEMENTING and v.matter.public_since
    assert r.disclosure.category == "resolution" and r.disclosure.source_url == f"/gongkai/matters/{v.matter.pk}/"
    assert r.disclosure.min_posting_days == 7
    assert r.disclosure.source_label == "四议两公开事项：村道硬化工程"
    with pytest.raises(ValidationError):  # the result needs at least one implementation update first
        services.publish(v.secretary, v.matter, "result_disclosure", title="t", body="b")
    p = services.publish(v.secretary, v.matter, "progress_disclosure", title="进度", body="完成 50%", amount="150000")
    p2 = services.publish(v.secretary, v.matter, "progress_disclosure", title="进度二", body="完成 80%", amount="100000.005")
    assert p2.amount == __import__("decimal").Decimal("100000.01")
    f = services.publish(v.secretary, v.matter, "result_disclosure", title="结果", body="竣工")
    assert [s.disclosure.category for s in (p, p2, f)] == ["implementation", "implementation", "result"]
    assert Notification.objects.filter(recipient=v.monitor, kind="disclosure").count() == 4  # the committee hears of each
    v.matter.refresh_from_db()
    assert v.matter.state == MatterState.RESULT_PUBLISHED
    assert all(s.state == StepState.CONFIRMED for s in v.matter.steps.all())
    with pytest.raises(ValidationError):
        services.publish(v.secretary, v.matter, "progress_disclosure", title="t", body="b")


def test_objections_block_closing_until_answered(v):
    r, p, f = _publish_all(v)
    first = v.matter.steps.get(kind="proposal")
    with pytest.raises(Http404):
        services.add_opinion(v.secretary, step=first, kind="objection", text="x")  # not a committee member
    o1 = services.add_opinion(v.monitor, step=first, kind="objection", text="未说明资金来源")
    o2 = services.add_opinion(v.monitor, disclosure=f.disclosure, kind="objection", text="结算金额与进度不符")
    services.add_opinion(v.monitor, disclosure=r.disclosure, kind="opinion", text="建议张贴到各组")  # an opinion does not block
    assert Notification.objects.filter(recipient=v.secretary, kind="objection").count() == 3
    assert Notification.objects.filter(recipient=v.town, kind="objection").count() == 2
    assert o2.matter is None and services.matter_of_disclosure(f.disclosure) == v.matter
    with pytest.raises(ValidationError) as exc:
        services.close_matter(v.secretary, v.matter)
    assert "2 条" in messages_of(exc)
    services.answer_opinion(v.secretary, o1, "资金来自一事一议财政奖补")
    with pytest.raises(ValidationError):
        services.answer_opinion(v.secretary, o1, "再答")
    with pytest.raises(ValidationError):
        services.close_matter(v.secretary, v.matter)
    services.answer_opinion(v.secretary, o2, "差额为审计核减")
    services.close_matter(v.secretary, v.matter)
    assert Matter.objects.get(pk=v.matter.pk).state == MatterState.CLOSED
    with pytest.raises(ValidationError):
        services.add_opinion(v.monitor, step=first, kind="objection", text="太迟")
    assert Opinion.objects.filter(answered_at__isnull=False).count() == 2


def test_close_only_after_the_result(v):
    with pytest.raises(ValidationError):
        services.close_matter(v.secretary, v.matter)


def test_supervisory_committee_excludes_villagers_committee(v):
    c = services.create_committee(v.secretary, v.tree.village, term_start=datetime.date(2026, 1, 1), term_end=datetime.date(2030, 12, 31),
                                  chosen_by="representatives")
    with pytest.raises(ValidationError) as exc:
        services.add_committee_member(v.secretary, c, name="主任甲", declares_no_relative=True)
    assert "村（居）民委员会成员" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.add_committee_member(v.secretary, c, name="李监督", declares_no_relative=False)
    assert "declares_no_relative" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.add_committee_member(v.secretary, c, name="李监督", declares_no_relative=True, user=v.secretary)
    assert "user" in exc.value.message_dict
    m = services.add_committee_member(v.secretary, c, name="李监督", is_chair=True, declares_no_relative=True, user=v.monitor)
    assert m.user == v.monitor
    with pytest.raises(ValidationError):
        services.create_committee(v.secretary, v.tree.village, term_start=datetime.date(2026, 1, 1), term_end=datetime.date(2025, 1, 1),
                                  chosen_by="representatives")


def test_monitor_reads_but_does_not_manage(v):
    assert Matter.objects.visible_to(v.monitor).filter(pk=v.matter.pk).exists()
    assert not Matter.objects.visible_to(v.people.secretary_a).exists()
    assert not Matter.objects.visible_to(v.people.member_a).exists()
    assert Matter.objects.visible_to(v.town).exists() and Matter.objects.visible_to(v.people.supervisor).exists()
    with pytest.raises(PermissionDenied):
        step(v.monitor, v.matter, "proposal")


def test_merged_first_steps_only_where_allowed(v, settings):
    with pytest.raises(ValidationError) as exc:
        new_matter(v.secretary, v.tree.village, merged=True)
    assert "merged" in exc.value.message_dict
    settings.GRASSROOTS_DECISIONS_MERGE_FIRST_STEPS = True
    m = new_matter(v.secretary, v.tree.village, merged=True)
    step(v.secretary, m, "proposal")
    assert services.allowed_kinds(m) == ["review"]


def test_materials_days_setting(v, settings):
    settings.GRASSROOTS_DECISIONS_MATERIALS_DAYS = 3
    step(v.secretary, v.matter, "proposal")
    step(v.secretary, v.matter, "consultation")
    ids = [m.pk for m in v.voters]
    with pytest.raises(ValidationError) as exc:
        step(v.secretary, v.matter, "review", roll=ids, votes_for=5, materials_sent_on=DAY - datetime.timedelta(days=2))
    assert "materials_sent_on" in exc.value.message_dict
    step(v.secretary, v.matter, "review", roll=ids, votes_for=5, materials_sent_on=DAY - datetime.timedelta(days=3))


def test_a_confirmed_step_is_never_saved_again(v):
    from grassroots.decisions.models import ImmutableStep

    s = step(v.secretary, v.matter, "proposal")
    s.content = "悄悄改动"
    with pytest.raises(ImmutableStep):
        s.save()
    assert Step.objects.get(pk=s.pk).content == "提议硬化村道"
