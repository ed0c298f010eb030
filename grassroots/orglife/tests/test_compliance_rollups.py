"""The compliance matrix of the city and a district read from the kept figures (orglife/rollups.py): the same numbers
as counting every branch live, kept up to date by the writes that change them, and a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.conftest import make_member, make_org
from grassroots.orglife import rollups, services, views
from grassroots.orglife.choices import MeetingKind, Period
from grassroots.orgs import summaries
from grassroots.orgs.models import SubtreeFigure

from .factories import at, held
from .test_compliance import give_committee, staff
from .test_views import form_post, last_month_at, queries

pytestmark = pytest.mark.django_db


def snapshot(context):
    rows = [
        (
            row["org"].pk, row.get("percent"), row.get("gaps"),
            [(c.status, c.owed, c.met) for c in row["cells"]] if "branch" in row else row["cells"],
            (row["rollup"].branches, row["rollup"].due, row["rollup"].met) if "rollup" in row else None,
        )
        for row in context["rows"]
    ]
    total = context["total"]
    gaps = [(bc.org.pk, bc.full_members, bc.committee_gap) for bc in context["gaps"]]
    return rows, (total.branches, total.due, total.met, total.columns), gaps, context["gap_count"], context["trend"]


def both(client, org, params, monkeypatch):
    """(context read from the kept figures, context counted live) of the matrix of `org`."""
    url = reverse("orglife:compliance", args=[org.pk])
    kept = client.get(url, params).context
    with monkeypatch.context() as m:
        m.setattr(views, "_kept", lambda *_a: False)
        live = client.get(url, params).context
    return kept, live


@pytest.fixture
def busy(tree, people, members):
    """Meetings in both districts, a branch of 8 full members without a committee (a gap) and one with."""
    this_year = timezone.localdate().year
    for branch in (tree.branch_a, tree.branch_b, tree.b_branch):
        held(branch, MeetingKind.THEME_DAY, at(this_year, 1, 10))
        held(branch, MeetingKind.GENERAL_ASSEMBLY, at(this_year, 2, 10))
    held(tree.group_a, MeetingKind.GROUP, at(this_year, 1, 12))
    big = make_org(people.admin, tree.village, "第三党支部", "C0403")
    staff(big, 8)
    staff(tree.b_branch, 7)
    committee = make_org(people.admin, tree.town, "第四党支部", "C0404")
    staff(committee, 5)
    give_committee(people, committee, 3)
    return this_year


@pytest.mark.parametrize("by", [Period.MONTH, Period.QUARTER])
def test_kept_figures_show_the_numbers_counted_live(client, tree, people, busy, monkeypatch, by):
    client.force_login(people.city_dept)
    for org in (tree.city, tree.district_a, tree.district_b):
        for year in (busy, busy - 1):
            kept, live = both(client, org, {"year": year, "by": by}, monkeypatch)
            assert snapshot(kept) == snapshot(live), (org.name, year)
    kept, _live = both(client, tree.city, {"year": busy}, monkeypatch)
    assert kept["gap_count"] == 2 and {bc.org.pk for bc in kept["gaps"]} >= {tree.b_branch.pk}
    assert SubtreeFigure.objects.filter(name=rollups.NAME, key=rollups.key(busy), org_path=tree.city.path).exists()


def test_first_gaps_listed_in_path_order_across_districts(client, tree, people, busy, monkeypatch):
    monkeypatch.setattr(views, "GAPS_SHOWN", 1)
    client.force_login(people.city_dept)
    kept, live = both(client, tree.city, {"year": busy}, monkeypatch)
    assert snapshot(kept) == snapshot(live)
    assert len(kept["gaps"]) == 1 and kept["gap_count"] == 2


def test_recording_a_meeting_updates_the_city_matrix(client, tree, people, members, monkeypatch):
    client.force_login(people.city_dept)
    when = last_month_at()
    params = {"year": timezone.localtime(when).year}
    url = reverse("orglife:compliance", args=[tree.city.pk])
    before = client.get(url, params).context["total"].met
    services.record_meeting(people.secretary_a, org=tree.branch_a, data={**form_post(when), "starts_at": when})
    after = client.get(url, params).context
    assert after["total"].met == before + 1
    kept, live = both(client, tree.city, params, monkeypatch)
    assert snapshot(kept) == snapshot(live)


def test_full_members_and_posts_update_the_gaps(client, tree, people, members, monkeypatch):
    client.force_login(people.city_dept)
    year = timezone.localdate().year
    url = reverse("orglife:compliance", args=[tree.city.pk])
    assert client.get(url, {"year": year}).context["gap_count"] == 0
    branch = make_org(people.admin, tree.village, "第三党支部", "C0403")
    staff(branch, 6)
    assert client.get(url, {"year": year}).context["gap_count"] == 0
    newcomer = make_member(tree.branch_b, "新来")
    newcomer.org, newcomer.org_path = branch, branch.path  # a move: both subtrees' figures are stale
    newcomer.save()
    assert client.get(url, {"year": year}).context["gap_count"] == 1
    give_committee(people, branch, 3)
    assert client.get(url, {"year": year}).context["gap_count"] == 0
    kept, live = both(client, tree.city, {"year": year}, monkeypatch)
    assert snapshot(kept) == snapshot(live)


def test_bulk_written_meetings_mark_the_figures_stale(tree, people, members):
    from grassroots.orglife.synthetic import generate_meetings

    year = timezone.localdate().year
    summaries.breakdown(rollups.NAME, tree.city.path, key=rollups.key(year))
    assert not SubtreeFigure.objects.filter(name=rollups.NAME, stale=True).exists()
    generate_meetings(year, 7, through=timezone.localdate())
    assert SubtreeFigure.objects.filter(name=rollups.NAME, org_path=tree.city.path, stale=True).exists()


def test_city_matrix_queries_do_not_grow_with_branches(client, tree, people, members):
    client.force_login(people.city_dept)
    url = reverse("orglife:compliance", args=[tree.city.pk])
    params = {"year": timezone.localdate().year}
    client.get(url, params)
    before = queries(client, url, params)
    for i in range(4):
        branch = make_org(people.admin, tree.town, f"增{i}", f"Q{i:03d}")
        staff(branch, 8)  # a committee gap each: listed under the matrix
        held(branch, MeetingKind.THEME_DAY, at(params["year"], 2, 2))
    client.get(url, params)  # brings the kept figures up to date
    assert queries(client, url, params) <= before + 4  # + the gap list's four queries (none before)
    assert client.get(url, params).context["gap_count"] == 4


def test_past_as_of_and_other_years_are_counted_live(client, tree, people, members):
    client.force_login(people.city_dept)
    url = reverse("orglife:compliance", args=[tree.city.pk])
    assert client.get(url, {"year": 2010}).status_code == 200
    assert not SubtreeFigure.objects.filter(name=rollups.NAME, key=rollups.key(2010)).exists()
    assert views._kept(tree.city, datetime.date.today().year, timezone.localdate())
    assert not views._kept(tree.town, datetime.date.today().year, timezone.localdate())
