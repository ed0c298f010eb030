"""The worklist: who another part of the platform has flagged and has had no talk since."""

import datetime

import pytest
from django.utils import timezone

from grassroots.members import services as member_services
from grassroots.orglife.models import Appraisal, AppraisalResult
from grassroots.orglife.tests.factories import at, held
from grassroots.talks import worklist as work
from grassroots.talks.models import Talk

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 25)  # six months to the day: 2026-05-25 .. today; unpaid dues: May to October


def talk(member, day):
    return Talk.objects.create(member=member, org=member.org, org_path=member.org_path, held_on=day, talker_name="书记",
                               topic="谈话", summary="谈话")


def flagged(path):
    return {m.name: m for m in work.flagged_members(path, TODAY)}


def test_no_organizational_life_flags_until_a_talk_in_the_window(tree, members):
    held(tree.branch_a, "theme_day", at(2026, 6, 5), present=[members.a1])
    rows = flagged(tree.branch_a.path)
    assert "张三" not in rows  # present in June
    assert rows["李四"].no_orglife and not rows["李四"].unqualified
    assert rows["李四"].window_start == datetime.date(2026, 5, 25)
    talk(members.a2, datetime.date(2026, 5, 24))  # before the six months: does not clear
    assert "李四" in flagged(tree.branch_a.path)
    talk(members.a2, datetime.date(2026, 5, 25))  # their first day clears it
    assert "李四" not in flagged(tree.branch_a.path)


def test_unqualified_appraisal_flags_until_a_talk_after_it(tree, members):
    held(tree.branch_a, "theme_day", at(2026, 10, 5), present=[members.a1, members.a2])
    appraisal = Appraisal.objects.create(org=tree.branch_a, org_path=tree.branch_a.path, year=2025, state="concluded",
                                         concluded_at=timezone.make_aware(datetime.datetime(2026, 1, 20, 10)))
    AppraisalResult.objects.create(appraisal=appraisal, member=members.a1, grade="unqualified")
    row = flagged(tree.branch_a.path)["张三"]
    assert row.unqualified and row.unqualified_on == datetime.date(2026, 1, 20)
    assert [f for f, _ in work.row_flags(row)] == ["unqualified"]
    talk(members.a1, datetime.date(2026, 1, 19))
    assert "张三" in flagged(tree.branch_a.path)
    talk(members.a1, datetime.date(2026, 1, 20))
    assert "张三" not in flagged(tree.branch_a.path)


def test_lost_contact_flags_from_the_state_change(tree, people, members):
    held(tree.branch_a, "theme_day", at(2026, 10, 5), present=[members.a1, members.a2])
    member_services.update_member(people.secretary_a, members.a1, {"state": "lost_contact"})
    row = flagged(tree.branch_a.path)["张三"]
    assert row.lost_contact and row.lost_on == timezone.localdate()
    talk(members.a1, timezone.localdate())
    assert "张三" not in flagged(tree.branch_a.path)


def test_counts_and_scope(tree, members):
    held(tree.branch_a, "theme_day", at(2026, 10, 5), present=[members.a1])
    counts = work.flag_counts(work.flagged_members(tree.village.path, TODAY))
    assert counts["total"] == 2 and counts["no_orglife"] == 2  # 李四 and 王五; nobody in 天宁
    assert set(flagged(tree.branch_b.path)) == {"王五"}


def test_coverage_groups_by_child(tree, members):
    year = timezone.localdate().year
    talk(members.a2, datetime.date(year, 1, 10))
    talk(members.a2, datetime.date(year, 2, 10))  # twice still counts once
    talk(members.b1, datetime.date(year - 1, 12, 31))  # last year
    rows = {r["org"].name: r for r in work.coverage(tree.village, year)}
    assert (rows["新村第一党支部"]["total"], rows["新村第一党支部"]["talked"], rows["新村第一党支部"]["percent"]) == (2, 1, 50)
    assert (rows["新村第二党支部"]["talked"], rows["新村第二党支部"]["percent"]) == (0, 0)
    assert [m.name for m in work.not_talked_this_year(tree.village.path, year)] == ["张三", "王五"]


def test_six_months_of_unpaid_dues_flag_until_a_talk_in_the_window(tree, members):
    """Through the dues app's own rule (dues.arrears.members_unpaid_for): a declared member who paid nothing."""
    from decimal import Decimal

    from grassroots.dues.models import DuesDeclaration, DuesPayment

    held(tree.branch_a, "theme_day", at(2026, 10, 5), present=[members.a1, members.a2])
    for member in (members.a1, members.a2):
        DuesDeclaration.objects.create(member=member, org=tree.branch_a, org_path=tree.branch_a.path, year=2026, category="employed",
                                       base=Decimal("4000.00"), amount=Decimal("40.00"), effective_from=datetime.date(2026, 1, 1),
                                       declared_on=datetime.date(2026, 1, 5))
    for month in range(5, 11):  # 张三 paid May..October
        DuesPayment.objects.create(member=members.a1, org=tree.branch_a, org_path=tree.branch_a.path, month=datetime.date(2026, month, 1),
                                   amount_due=Decimal("40.00"), amount_paid=Decimal("40.00"), paid_on=datetime.date(2026, month, 10))
    rows = flagged(tree.branch_a.path)
    assert set(rows) == {"李四"} and rows["李四"].no_dues and not rows["李四"].no_orglife
    assert work.row_flags(rows["李四"]) == [("no_dues", datetime.date(2026, 5, 1))]  # calendar months for dues
    talk(members.a2, datetime.date(2026, 4, 30))
    assert "李四" in flagged(tree.branch_a.path)
    talk(members.a2, datetime.date(2026, 5, 1))
    assert flagged(tree.branch_a.path) == {}


def test_kept_counts_for_the_top_of_the_tree_follow_talks_and_meetings(tree, members):
    """The city's, a district's and a township's counts are kept (talks/rollups.py) and equal the live count after
    a talk or a meeting is recorded; below a township they are counted live."""
    today = timezone.localdate()

    def both(org):
        return work.kept_flag_counts(org, today), work.flag_counts(work.flagged_members(org.path, today))

    for org in (tree.city, tree.district_a, tree.town, tree.village):
        kept, live = both(org)
        assert kept == live and kept["total"] >= 3
    talk(members.a2, today)  # the talk clears 李四's flags
    kept, live = both(tree.city)
    assert kept == live
    held(tree.branch_b, "theme_day", timezone.now() - datetime.timedelta(days=1), present=[members.b1])
    assert both(tree.city)[0] == both(tree.city)[1]
    assert both(tree.district_a)[0]["total"] == both(tree.district_a)[1]["total"]


def test_kept_coverage_of_the_city_equals_the_live_count(tree, members):
    year = timezone.localdate().year
    before = {r["org"].pk: (r["total"], r["talked"]) for r in work.coverage(tree.city, year)}
    talk(members.a1, timezone.localdate())  # marks the kept coverage of its ancestors stale
    after = {r["org"].pk: (r["total"], r["talked"]) for r in work.coverage(tree.city, year)}
    live = work.coverage_counts(tree.city.path, year, len(tree.district_a.path))
    assert after[tree.district_a.pk] == (live[tree.district_a.path]["total"], live[tree.district_a.path]["talked"])
    assert after[tree.district_a.pk][1] == before[tree.district_a.pk][1] + 1


def test_the_kept_worklist_of_a_city_is_the_same_list(tree, people, members):
    """A city's or a district's worklist is read from the kept rows (KeptWorklist, rebuilt with the kept counts):
    every slice, with and without a flag, equals the same slice of the live list, members attached to a committee
    itself included, and a talk takes its member off at the next read."""
    from grassroots.conftest import make_member

    today = timezone.localdate()
    make_member(tree.district_a, "区委直属党员")  # attached to the district committee itself
    for i in range(4):
        make_member(tree.b_branch, f"天宁党员{i}")

    def live(flag=None):
        qs = work.flagged_members(tree.city.path, today)
        return [m.pk for m in (qs.filter(**{flag: True}) if flag else qs)]

    kept = work.KeptWorklist(tree.city, today=today)
    whole = live()
    assert kept.count() == len(whole) >= 8
    for start, stop in ((0, 3), (2, 7), (5, len(whole)), (0, len(whole) + 5)):
        assert [m.pk for m in kept[start:stop]] == whole[start:stop]
    first = kept[0:1][0]
    assert first.no_orglife == work.flagged_members(tree.city.path, today).get(pk=first.pk).no_orglife
    assert [m.pk for m in work.KeptWorklist(tree.city, "no_orglife", today)[0:100]] == live("no_orglife")

    talk(members.a2, today)  # marks the kept counts stale: the next read rebuilds the township's rows
    assert [m.pk for m in work.KeptWorklist(tree.city, today=today)[0:100]] == live() and members.a2.pk not in live()
    assert isinstance(work.worklist_rows(tree.district_a), work.KeptWorklist)
    assert not isinstance(work.worklist_rows(tree.district_a, q="天宁"), work.KeptWorklist)
    assert not isinstance(work.worklist_rows(tree.town), work.KeptWorklist)
