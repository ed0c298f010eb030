"""Read-side queries of the pages: rollups of task books, the 通报, the month's attendance, the year's assessment."""

from django.db.models import OuterRef, Q, Subquery

from grassroots.ballots import results as ballot_results
from grassroots.ballots.models import Round
from grassroots.core import scoping
from grassroots.tracking import queries as tracking_queries
from grassroots.tracking.models import TaskList

from . import engines
from .choices import StationState
from .models import Assessment, Attendance, Pairing, Stationing


def rollups(task_lists):
    task_lists = [t for t in task_lists if t is not None]
    return tracking_queries.rollup(task_lists) if task_lists else {}


def bulletin_rows(user, root, today):
    """One row per task book of a pairing or stationing under `root` that the user reads."""
    books = list(TaskList.objects.visible_to(user).within(root.path).filter(source__in=engines.SOURCES.values()).select_related("org"))
    roll = tracking_queries.rollup(books, today) if books else {}
    pair_ids = [b.source_id for b in books if b.source == engines.SOURCES["pairing"]]
    station_ids = [b.source_id for b in books if b.source == engines.SOURCES["stationing"]]
    pairs = {p.pk: p for p in Pairing.objects.filter(pk__in=pair_ids).select_related("partner")}
    stations = {s.pk: s for s in Stationing.objects.filter(pk__in=station_ids)}
    rows = []
    for b in books:
        r = roll[b.pk]
        if b.source == engines.SOURCES["pairing"]:
            owner = pairs.get(b.source_id)
            kind, who, url = "结对帮扶", owner.partner.name if owner else "", f"/assistance/pairings/{b.source_id}/"
        else:
            owner = stations.get(b.source_id)
            kind, who, url = "驻村工作", owner.name if owner else "", f"/assistance/stationings/{b.source_id}/"
        rows.append({"village": b.org.name, "kind": kind, "who": who, "url": url, "total": r.total, "done": r.done, "overdue": r.overdue,
                     "percent": r.percent})
    rows.sort(key=lambda r: (-(r["overdue"]), r["percent"] or 0))
    return rows


def attendance_rows(user, root, month):
    """Active cadres in scope with the month's days (None when not reported) and a status."""
    days = Attendance.objects.filter(stationing=OuterRef("pk"), month=month)
    qs = (Stationing.objects.visible_to(user).filter(org_path__startswith=root.path, state=StationState.ACTIVE, started_on__lte=month.replace(day=28))
          .select_related("village").annotate(days=Subquery(days.values("days")[:1]), required=Subquery(days.values("required")[:1])))
    from . import rules

    minimum = rules.min_days(month)
    rows = list(qs)
    for r in rows:
        r.required = r.required or minimum
        r.status = "未填报" if r.days is None else ("不足" if r.days < r.required else "达标")
    rows.sort(key=lambda r: ({"未填报": 0, "不足": 1, "达标": 2}[r.status], r.days or 0))
    return rows


def assessment_rows(user, root, year):
    """Cadres stationed in scope during `year` with their assessment and the members' satisfaction (优秀+称职 share)."""
    import datetime

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    qs = (Stationing.objects.visible_to(user).filter(org_path__startswith=root.path, started_on__lte=end)
          .filter(Q(left_on__isnull=True) | Q(left_on__gte=start)).select_related("village", "sending_unit"))
    rows = list(qs)
    grades = {a.stationing_id: a for a in Assessment.objects.filter(stationing__in=[r.pk for r in rows], year=year)}
    rounds = {r.org_id: r for r in Round.objects.filter(org_id__in={r.village_id for r in rows}, source=engines.RATING_SOURCE, source_id=year)}
    for r in rows:
        a = grades.get(r.pk)
        r.grade, r.grade_label = (a.grade, a.get_grade_display()) if a else ("", "")
        r.typical, r.comment, r.typical_summary = (a.typical, a.comment, a.typical_summary) if a else (False, "", "")
        rnd = rounds.get(r.village_id)
        r.round = rnd
        share = ballot_results.share_at_least(rnd, f"s{r.pk}", {"excellent", "competent"}) if rnd else None
        r.satisfaction = None if share is None else round(share * 100, 1)
    return rows


def rating_villages(user, rows, year):
    """Villages of the rows whose members' rating the user may open (managers of the village) and has not yet."""
    seen, out = set(), []
    for r in rows:
        if r.village_id in seen or r.round is not None:
            continue
        seen.add(r.village_id)
        if scoping.can_manage_org(user, r.village):
            out.append(r.village)
    return out


def open_cases(villages):
    """The open weak-organization cases (rectification, 整顿中 or 补课) of these villages, one query: what a stationing
    may be linked to. rectification's `Case.objects.open()` is the same set its `open_for(org)` picks from."""
    from grassroots.rectification.models import Case

    return list(Case.objects.open().filter(org__in=[v.pk for v in villages]).select_related("org").order_by("org__path", "-year"))
