"""The kept summary figures (grassroots/orgs/summaries.py) through the members' roll-ups: they always equal the live
count, a change marks only its own ancestors stale, a stale read recomputes only what changed, the worker's job
brings everything up to date, and a new day recomputes what depends on the date."""

import datetime

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grassroots.conftest import make_member
from grassroots.core import scheduling
from grassroots.members import quality, services, stats
from grassroots.members.choices import Status
from grassroots.members.rollups import figures_by_prefix
from grassroots.orgs import summaries
from grassroots.orgs.models import SubtreeFigure


def live(path):
    """The figures counted from the records, without the kept rows."""
    return summaries.summed(figures_by_prefix(path, timezone.localdate()).values())


def row(path, name=stats.FIGURES):
    return SubtreeFigure.objects.get(name=name, key="", org_path=path)


def test_kept_figures_equal_the_live_count_through_writes(tree, people, members):
    paths = [tree.city.path, tree.district_a.path, tree.district_b.path, tree.town.path]
    assert {p: summaries.figures(stats.FIGURES, p) for p in paths} == {p: live(p) for p in paths}
    assert stats.subtree_counts(tree.city.path)["total"] == 4

    extra = make_member(tree.branch_a, "钱七", status=Status.PROBATIONARY, full_on=None)  # created
    services.update_member(people.admin, members.b1, {"gender": "female"})  # changed
    services.transfer_member(people.admin, members.other, tree.branch_b, happened_on=timezone.localdate(), document="")  # moved
    for path in paths:
        assert summaries.figures(stats.FIGURES, path) == live(path), path
    counts = stats.subtree_counts(tree.city.path)
    assert counts["total"] == 5 and counts["probationary"] == 2
    assert stats.subtree_counts(tree.district_b.path)["total"] == 0  # the move left the other district
    assert stats.subtree_counts(tree.district_a.path)["total"] == 5

    extra.delete()  # deleted
    assert summaries.figures(stats.FIGURES, tree.city.path) == live(tree.city.path)
    assert stats.subtree_counts(tree.city.path)["total"] == 4


def test_a_change_marks_only_its_own_ancestors_and_only_they_are_recomputed(tree, people, members):
    summaries.figures(stats.FIGURES, tree.city.path)
    assert not SubtreeFigure.objects.filter(stale=True).exists()
    before = row(tree.district_b.path).computed_at

    make_member(tree.branch_a, "孙八")
    stale = set(SubtreeFigure.objects.filter(stale=True, name=stats.FIGURES).values_list("org_path", flat=True))
    assert stale == {tree.city.path, tree.district_a.path, tree.town.path}

    with CaptureQueriesContext(connection) as ctx:
        summaries.figures(stats.FIGURES, tree.city.path)
    # the row read, the summarized organizations, their rows, the township's three grouped counts, the two
    # committees' own records (three each), one bulk update
    assert len(ctx.captured_queries) == 13
    assert row(tree.district_b.path).computed_at == before  # the other district was not counted again
    assert not SubtreeFigure.objects.filter(stale=True).exists()


def test_a_fresh_read_is_one_query(tree, people, members):
    first = summaries.figures(stats.FIGURES, tree.city.path)
    with CaptureQueriesContext(connection) as ctx:
        again = summaries.figures(stats.FIGURES, tree.city.path)
    assert len(ctx.captured_queries) == 1 and again == first


def test_below_the_townships_figures_are_counted_live_and_not_kept(tree, people, members):
    assert stats.subtree_counts(tree.village.path)["total"] == 3
    assert not SubtreeFigure.objects.filter(org_path=tree.village.path).exists()


def test_the_workers_job_recomputes_stale_and_outdated_rows(tree, people, members):
    summaries.figures(stats.FIGURES, tree.city.path)
    quality.report(tree.city)
    make_member(tree.b_branch, "周九")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    SubtreeFigure.objects.filter(org_path=tree.town.path).update(as_of=yesterday)  # counted yesterday: ages move on

    call_command("refresh_rollups")
    assert not SubtreeFigure.objects.filter(stale=True).exists()
    assert not SubtreeFigure.objects.exclude(as_of=timezone.localdate()).exists()
    assert row(tree.city.path).values == live(tree.city.path)
    assert row(tree.city.path, quality.QUALITY).values["total"] == 5
    assert {"orgs.refresh_rollups", "orgs.rebuild_rollups"} <= set(scheduling.all_jobs())


def test_another_day_than_today_is_counted_live(tree, people, members):
    summaries.figures(stats.FIGURES, tree.city.path)
    SubtreeFigure.objects.update(values={"n": 999})  # a kept row that is wrong on purpose
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert stats.subtree_counts(tree.city.path, tomorrow)["total"] == 4  # not read from the kept row
    assert stats.subtree_counts(tree.city.path)["total"] == 999  # today's is read, as kept


def test_quality_report_from_kept_rows_matches_the_live_count(tree, people, members):
    members.a1.education = ""
    members.a1.save()
    kept = quality.report(tree.city)
    live_counts = quality.counts_by_prefix(tree.city.path, timezone.localdate())
    assert kept.totals["missing_education"] == sum(c["missing_education"] for c in live_counts.values()) >= 1
    for child in kept.children:
        assert child.counts["total"] == live_counts.get(child.path, {}).get("total", 0)


def test_attendance_and_posts_recount_the_kept_audit(tree, people, members):
    """Organizational life's kinds (no attendance, branch committee) are recounted after a meeting or a post."""
    from grassroots.orglife.tests.factories import held

    before = quality.report(tree.city).totals["no_orglife"]
    held(tree.branch_a, "theme_day", timezone.now() - datetime.timedelta(days=3), present=[members.a1])
    assert SubtreeFigure.objects.filter(name=quality.QUALITY, org_path=tree.town.path, stale=True).exists()
    assert quality.report(tree.city).totals["no_orglife"] == before - 1
