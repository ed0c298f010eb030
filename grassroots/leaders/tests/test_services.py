import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.core.models import AuditLog
from grassroots.leaders import rules, services
from grassroots.leaders.models import Candidate, Term, Voter
from grassroots.orgs.models import Post

from .conftest import run_to_vote

pytestmark = pytest.mark.django_db


def test_election_from_plan_to_new_posts(tree, people, village_people):
    actor = people.dept_a
    election, cands = run_to_vote(actor, tree, village_people)
    assert election.stage == "vote" and election.roll_size == 10 and len(election.roll_hash) == 64
    party_roll = election.party_roll_size
    assert party_roll >= 7
    services.record_count(actor, election, body="party", ballots_cast=party_roll,
                          votes={cands[0].pk: party_roll, cands[1].pk: party_roll - 1, cands[2].pk: party_roll // 2})
    services.record_count(actor, election, body="villagers", ballots_cast=8, votes={cands[3].pk: 8, cands[4].pk: 5, cands[5].pk: 6})
    elected = {c.name: c.elected for c in Candidate.objects.filter(election=election, body="party")}
    assert elected == {"陈一": True, "林二": True, "周三": False}  # 周三 has exactly half: not more than half
    services.advance(actor, election)
    audit = services.create_audit(actor, tree.village, kind="term", person_name="老书记", post_label="书记", scope="2021—2026年任期",
                                  auditor="湖塘镇农经站", election=election)
    with pytest.raises(ValidationError, match="离任（任期）审计尚未完成"):
        services.close_election(actor, election, reported_on=datetime.date(2026, 11, 25))
    services.finish_audit(actor, audit, findings="无重大问题", follow_up="", finished_on=datetime.date(2026, 11, 22))
    services.close_election(actor, election, reported_on=datetime.date(2026, 11, 25))
    election.refresh_from_db()
    assert election.stage == "closed"
    posts = Post.objects.current().filter(org=tree.village)
    assert {(p.holder.name, p.title) for p in posts} == {("陈一", "secretary"), ("林二", "committee_member"), ("陈一", "village_director"),
                                                         ("吴四", "village_member"), ("郑五", "village_member")}
    assert Term.objects.filter(election=election).count() == 2
    tree.village.refresh_from_db()
    assert tree.village.term_end == datetime.date(2031, 11, 19)
    from grassroots.leaders import queries

    stats = queries.statistics(tree.district_a.path, datetime.date(2026, 12, 3))
    assert stats["villages"] == 1 and stats["one_shoulder"] == 1 and stats["one_shoulder_share"] == 100
    assert stats["cross"] == 1 and stats["party_people"] == 2 and stats["cross_share"] == 50  # 陈一 sits on both committees
    assert AuditLog.objects.filter(action=AuditLog.Action.CLOSE).exists()


def test_stage_order_is_enforced(tree, people, village_people):
    actor = people.dept_a
    election = services.create_election(actor, tree.village, party_seats=3, villagers_seats=3)
    with pytest.raises(ValidationError, match="换届工作方案"):
        services.advance(actor, election)
    m = village_people[0]
    c = services.add_candidate(actor, election, body="party", seat="secretary", name=m.name, gender=m.gender, birth_date=m.birth_date, member=m)
    with pytest.raises(ValidationError, match="资格联审只能在"):
        services.sign_off(actor, c, body="discipline", result="pass")
    with pytest.raises(ValidationError, match="提名候选人只能在"):
        services.nominate(actor, c)
    with pytest.raises(ValidationError, match="录入计票结果只能在"):
        services.record_count(actor, election, body="party", ballots_cast=1, votes={})
    with pytest.raises(ValidationError, match="报备并结束只能在"):
        services.close_election(actor, election, reported_on=datetime.date(2026, 11, 1))


def test_vetting_incomplete_blocks_next_stage_and_negative_list_blocks_nomination(tree, people, village_people):
    actor = people.dept_a
    plan = services.create_plan(actor, tree.district_a, title="方案", year=2026, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    election = services.create_election(actor, tree.village, plan=plan, party_seats=3, villagers_seats=3)
    a, b = village_people[:2]
    ca = services.add_candidate(actor, election, body="party", seat="secretary", name=a.name, gender=a.gender, birth_date=a.birth_date, member=a)
    cb = services.add_candidate(actor, election, body="villagers", seat="director", name=b.name, gender=b.gender, birth_date=b.birth_date)
    services.advance(actor, election)
    with pytest.raises(ValidationError, match="资格联审尚未完成"):
        services.advance(actor, election)
    with pytest.raises(ValidationError, match="不能为“通过”"):
        services.sign_off(actor, cb, body="police", result="pass", hits=["criminal"])
    for body, _ in rules.vetting_bodies():
        services.sign_off(actor, ca, body=body, result="pass")
        if body == "police":
            services.sign_off(actor, cb, body=body, result="fail", hits=["criminal"])
        else:
            services.sign_off(actor, cb, body=body, result="pass")
    with pytest.raises(ValidationError, match="已对该候选人签署意见"):
        services.sign_off(actor, ca, body="police", result="pass")
    services.advance(actor, election)
    services.nominate(actor, ca)
    with pytest.raises(ValidationError, match="负面清单情形.*不能提名"):
        services.nominate(actor, cb)
    assert not Candidate.objects.get(pk=cb.pk).nominated
    assert AuditLog.objects.filter(action=AuditLog.Action.SIGN).count() == 2 * len(rules.vetting_bodies())
    with pytest.raises(ValidationError, match="还没有提名的候选人"):
        services.advance(actor, election)  # the villagers' committee has no nominee


def test_roll_frozen_and_counts_checked_against_it(tree, people, village_people):
    actor = people.dept_a
    election, cands = run_to_vote(actor, tree, village_people, voters=5)
    with pytest.raises(ValidationError, match="选民名单已冻结"):
        services.add_voters(actor, election, ["NEW0001"])
    with pytest.raises(ValidationError, match="超过冻结的选民名单 5 人"):
        services.record_count(actor, election, body="villagers", ballots_cast=6, votes={cands[3].pk: 6})
    with pytest.raises(ValidationError, match="超过投票人数"):
        services.record_count(actor, election, body="villagers", ballots_cast=4, votes={cands[3].pk: 5})
    with pytest.raises(ValidationError, match="未超过应参加人数 5 的半数"):
        services.record_count(actor, election, body="villagers", ballots_cast=2, votes={cands[3].pk: 2})
    # a roll changed behind the service's back no longer matches its fingerprint
    Voter.objects.filter(election=election).first().delete()
    with pytest.raises(ValidationError, match="指纹不符"):
        services.record_count(actor, election, body="villagers", ballots_cast=3, votes={cands[3].pk: 3})


def test_count_rules():
    assert rules.elected(6, 11) and not rules.elected(5, 10)
    assert rules.turnout_valid(6, 11) and not rules.turnout_valid(5, 10)
    assert rules.count_error(10, 10, {"甲": 10}, 1) is None
    assert "超过投票人数 × 应选名额" in rules.count_error(3, 10, {"甲": 3, "乙": 3}, 1)
    assert rules.roll_hash(["b", "a"]) == rules.roll_hash(["a", "b"])
    assert rules.term_end(datetime.date(2026, 11, 20)) == datetime.date(2031, 11, 19)
    assert rules.consecutive_incompetent({2024: "incompetent", 2025: "incompetent"})
    assert not rules.consecutive_incompetent({2023: "incompetent", 2025: "incompetent"})


def test_other_side_cannot_act(tree, people, village_people):
    election = services.create_election(people.dept_a, tree.village)
    with pytest.raises(PermissionDenied):
        services.create_election(people.secretary_b, tree.branch_a)
    with pytest.raises(PermissionDenied):
        services.add_voters(people.secretary_b, election, ["X"])
    with pytest.raises(ValidationError, match="只适用于村、社区"):
        services.create_election(people.dept_a, tree.town)


def _close(actor, election, org, kind="exit"):
    if election.stage == "vote":
        services.advance(actor, election)
        election.refresh_from_db()
    record = services.create_audit(actor, org, kind=kind, person_name="老书记", post_label="书记", scope="任期经济责任",
                                   auditor="镇审计办", election=election)
    services.finish_audit(actor, record, findings="规范", follow_up="", finished_on=datetime.date(2026, 11, 22))
    services.close_election(actor, election, reported_on=datetime.date(2026, 11, 25))


def test_closing_replaces_both_committees_posts_and_statistics_follow_the_posts(tree, people, village_people):
    """The outgoing secretary and director leave office in orgs; the elected take both committees' posts; 一肩挑 and
    交叉任职 are read from the posts held, before and after."""
    from grassroots.conftest import make_member
    from grassroots.leaders import queries
    from grassroots.orgs import services as org_services

    actor = people.dept_a
    old_sec, old_dir = make_member(tree.branch_a, "老王"), make_member(tree.branch_a, "老李")
    org_services.appoint_post(actor, tree.village, title="secretary", holder=old_sec, started_on=datetime.date(2021, 11, 1))
    org_services.appoint_post(actor, tree.village, title="village_director", holder=old_dir, started_on=datetime.date(2021, 11, 1))
    org_services.appoint_post(actor, tree.village, title="propaganda", holder=village_people[1], started_on=datetime.date(2021, 11, 1))
    before = queries.post_statistics(tree.district_a.path)
    assert (before["one_shoulder"], before["cross"], before["party_people"]) == (0, 0, 2)
    # one person holding both posts in orgs counts, whether or not an election wrote them
    temp = org_services.appoint_post(actor, tree.village, title="village_deputy", holder=old_sec, started_on=datetime.date(2022, 1, 1))
    assert queries.post_statistics(tree.district_a.path)["cross"] == 1
    org_services.end_post(actor, temp, datetime.date(2022, 6, 1))

    election, cands = run_to_vote(actor, tree, village_people)
    n = election.party_roll_size
    services.record_count(actor, election, body="party", ballots_cast=n, votes={cands[0].pk: n, cands[1].pk: n, cands[2].pk: n})
    services.record_count(actor, election, body="villagers", ballots_cast=8, votes={cands[3].pk: 8, cands[4].pk: 7, cands[5].pk: 3})
    # an exit audit of someone else does not cover the outgoing secretary and director
    with pytest.raises(ValidationError, match=r"以下离任人员尚未完成离任审计：老李（村委会主任）、老王（书记）"):
        _close(actor, election, tree.village)
    for name, post in (("老王", "书记"), ("老李", "村委会主任")):
        record = services.create_audit(actor, tree.village, kind="exit", person_name=name, post_label=post, scope="任期经济责任",
                                       auditor="镇审计办", election=election)
        services.finish_audit(actor, record, findings="规范", follow_up="", finished_on=datetime.date(2026, 11, 22))
    services.close_election(actor, election, reported_on=datetime.date(2026, 11, 25))
    ended = {p.holder.name: p.ended_on for p in Post.objects.filter(org=tree.village, ended_on__isnull=False)}
    # the day before the new term; 林二's 宣传委员 post of the old committee ends too (re-elected as 委员)
    assert ended == {"老王": datetime.date(2026, 11, 19), "老李": datetime.date(2026, 11, 19), "林二": datetime.date(2026, 11, 19)}
    current = {(p.holder.name, p.title) for p in Post.objects.current().filter(org=tree.village)}
    assert current == {("陈一", "secretary"), ("林二", "committee_member"), ("周三", "committee_member"), ("陈一", "village_director"),
                       ("吴四", "village_member")}  # 郑五 had 3 of 8 votes
    assert Candidate.objects.get(pk=cands[3].pk).post.title == "village_director"
    after = queries.post_statistics(tree.district_a.path)
    assert (after["one_shoulder"], after["one_shoulder_share"], after["cross"], after["party_people"]) == (1, 100, 1, 3)
    assert str(after["cross_share"]) == "33.3"


def test_community_posts_are_residents_committee_titles_and_non_members_stay_in_terms(tree, people):
    """In a community the director is written as 居委会主任; an elected villager who is not a Party member has no
    orgs.Post (its holder is a Member) and is kept in the candidate and term records."""
    from grassroots.conftest import make_member

    actor = people.city_dept
    community = tree.b_branch
    party = [make_member(community, n) for n in ("社一", "社二", "社三", "社四", "社五", "社六", "社七")]
    plan = services.create_plan(actor, tree.district_b, title="天宁区换届方案", year=2026, starts_on=datetime.date(2026, 9, 1),
                                ends_on=datetime.date(2026, 12, 31))
    election = services.create_election(actor, community, plan=plan, party_seats=3, villagers_seats=3, vote_on=datetime.date(2026, 11, 20))
    sec = services.add_candidate(actor, election, body="party", seat="secretary", name="社一", gender="male", birth_date=party[0].birth_date,
                                 member=party[0])
    director = services.add_candidate(actor, election, body="villagers", seat="director", name="社一", gender="male",
                                      birth_date=party[0].birth_date, member=party[0])
    outsider = services.add_candidate(actor, election, body="villagers", seat="villagers_member", name="群众甲", gender="female",
                                      birth_date=datetime.date(1990, 2, 1))
    services.advance(actor, election)
    for c in (sec, director, outsider):
        for body, _label in rules.vetting_bodies():
            services.sign_off(actor, c, body=body, result="pass")
    services.advance(actor, election)
    for c in (sec, director, outsider):
        services.nominate(actor, c)
    services.add_voters(actor, election, [f"SQ{i}" for i in range(6)])
    services.advance(actor, election)
    election.refresh_from_db()
    n = election.party_roll_size
    services.record_count(actor, election, body="party", ballots_cast=n, votes={sec.pk: n})
    services.record_count(actor, election, body="villagers", ballots_cast=5, votes={director.pk: 5, outsider.pk: 4})
    _close(actor, election, community)
    assert {(p.holder.name, p.title) for p in Post.objects.current().filter(org=community)} == {("社一", "secretary"), ("社一", "residents_director")}
    outsider.refresh_from_db()
    assert outsider.elected and outsider.post is None
    assert Term.objects.filter(org=community).count() == 2
    from grassroots.leaders import queries

    assert queries.post_statistics(tree.district_b.path)["one_shoulder"] == 1


def test_a_term_audit_covers_the_outgoing_cadres(tree, people, village_people):
    from grassroots.conftest import make_member
    from grassroots.orgs import services as org_services

    actor = people.dept_a
    org_services.appoint_post(actor, tree.village, title="secretary", holder=make_member(tree.branch_a, "老王"), started_on=datetime.date(2021, 11, 1))
    election, cands = run_to_vote(actor, tree, village_people)
    n = election.party_roll_size
    services.record_count(actor, election, body="party", ballots_cast=n, votes={cands[0].pk: n})
    services.record_count(actor, election, body="villagers", ballots_cast=8, votes={cands[3].pk: 8})
    services.advance(actor, election)
    unfinished = services.create_audit(actor, tree.village, kind="term", person_name="两委班子", post_label="两委", scope="2021—2026年任期",
                                       auditor="镇审计办", election=election)
    with pytest.raises(ValidationError, match="离任（任期）审计尚未完成"):
        services.close_election(actor, election, reported_on=datetime.date(2026, 11, 25))
    services.finish_audit(actor, unfinished, findings="规范", follow_up="", finished_on=datetime.date(2026, 11, 22))
    services.close_election(actor, election, reported_on=datetime.date(2026, 11, 25))
    assert not Post.objects.current().filter(holder__name="老王").exists()
