"""Members whom another part of the platform has flagged and who have had no talk since: the branch's
worklist (谈心谈话工作清单), and the yearly talk coverage. One SQL query each, whatever the subtree's size."""

import datetime

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from grassroots.members.choices import EventKind, State
from grassroots.members.models import Member, MemberEvent
from grassroots.orglife import compliance
from grassroots.orglife.choices import Grade
from grassroots.orglife.models import AppraisalResult
from grassroots.orgs import summaries

from . import rules
from .choices import Flag
from .models import FlaggedMember, Talk

FLAGS = [Flag.NO_ORGLIFE, Flag.NO_DUES, Flag.UNQUALIFIED, Flag.LOST_CONTACT]
LOST_STATES = [State.LOST_CONTACT, State.SUSPENDED]


def _talked_since(since):
    return Exists(Talk.objects.filter(member=OuterRef("pk"), held_on__gte=since))


def _flag(condition):
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def flagged_members(path, today=None, *, exact=False):
    """Members of the subtree with at least one open flag, each row annotated with the four flags
    (`no_orglife`, `no_dues`, `unqualified`, `lost_contact`), the dates the flags count from
    (`window_start`, `dues_window_start`, `unqualified_on`, `lost_on`) and `last_talk`. A flag is open until a
    talk is recorded on or after the day it counts from: for the six months without organizational life, the
    first day of the six months that end today (orglife's own rule, counted to the day); for unpaid dues, the
    first of the six calendar months unpaid (the dues app's rule). With `exact`, only the members attached to the
    organization at `path` itself."""
    from grassroots.dues.arrears import members_unpaid_for, unpaid_run_first_month

    today = today or timezone.localdate()
    window_start, _ = compliance.six_month_period(today)
    dues_window_start = unpaid_run_first_month(rules.FLAG_MONTHS, today)
    absentees = compliance.six_month_absentees(path, today).values("pk")
    in_arrears = members_unpaid_for(rules.FLAG_MONTHS, [path], today).values("pk")
    if exact:  # (inside the subqueries too, so that they do not list a whole district first)
        absentees, in_arrears = absentees.filter(org_path=path), in_arrears.filter(org_path=path)
    cutoff = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=rules.UNQUALIFIED_FLAG_DAYS), datetime.time()))
    unqualified_on = (
        AppraisalResult.objects.filter(member=OuterRef("pk"), grade=Grade.UNQUALIFIED, appraisal__concluded_at__gte=cutoff)
        .annotate(on=TruncDate("appraisal__concluded_at")).order_by("-on").values("on")[:1]
    )
    lost_on = MemberEvent.objects.filter(member=OuterRef("pk"), kind=EventKind.STATE).order_by("-happened_on", "-id").values("happened_on")[:1]
    last_talk = Talk.objects.filter(member=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
    talked_since_window = _talked_since(window_start)
    qs = (
        Member.objects.in_register()
        .filter(**{"org_path" if exact else "org_path__startswith": path})
        .annotate(unqualified_on=Subquery(unqualified_on), lost_on=Subquery(lost_on), last_talk=Subquery(last_talk))
        .annotate(
            no_orglife=_flag(Q(pk__in=absentees) & ~talked_since_window),
            no_dues=_flag(Q(pk__in=in_arrears) & ~_talked_since(dues_window_start)),
            unqualified=_flag(
                Q(unqualified_on__isnull=False)
                & ~Exists(Talk.objects.filter(member=OuterRef("pk"), held_on__gte=OuterRef("unqualified_on")))
            ),
            lost_contact=_flag(
                Q(state__in=LOST_STATES)
                & ~Exists(Talk.objects.filter(member=OuterRef("pk"), held_on__gte=OuterRef("lost_on")))
                & ~(Q(lost_on__isnull=True) & talked_since_window)
            ),
        )
        .filter(Q(no_orglife=True) | Q(no_dues=True) | Q(unqualified=True) | Q(lost_contact=True))
        .select_related("org")
        .order_by("org_path", "initials", "id")
    )
    return qs.annotate(window_start=Value(window_start), dues_window_start=Value(dues_window_start))


KEPT_FIELDS = ["no_orglife", "no_dues", "unqualified", "lost_contact", "window_start", "dues_window_start",
               "unqualified_on", "lost_on", "last_talk"]


def keep_flagged(path, today, key="", direct=False):
    """Rebuild the kept worklist rows (FlaggedMember) of a township's subtree, or of the members attached to a committee
    above the townships (`direct`): the summaries engine calls this when it recounts `talks.flags` there."""
    mine = FlaggedMember.objects.filter(org_path=path) if direct else FlaggedMember.objects.filter(org_path__startswith=path)
    mine.delete()
    rows = [
        FlaggedMember(member_id=m.pk, org_path=m.org_path, initials=m.initials, **{f: getattr(m, f) for f in KEPT_FIELDS})
        for m in flagged_members(path, today, exact=direct).select_related(None)
    ]
    FlaggedMember.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class KeptWorklist:
    """The worklist of a city or a district (with one flag, or all) as a sequence the paginators read (count and
    slices), from the kept rows: a page is one indexed query and one for its members, instead of the flag
    subqueries over a quarter of a million members. The kept counts are brought up to date first, and with them the
    rows (keep_flagged). Its items are members annotated like flagged_members' rows."""

    def __init__(self, org, flag=None, today=None):
        today = today or timezone.localdate()
        counts = kept_flag_counts(org, today)  # recounts stale townships, and rebuilds their rows
        self.total = counts[flag or "total"]
        self.rows = FlaggedMember.objects.filter(org_path__startswith=org.path).order_by("org_path", "initials", "member_id")
        if flag:
            self.rows = self.rows.filter(**{flag: True})

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        kept = list(self.rows[index])
        members = Member.objects.select_related("org").in_bulk([k.member_id for k in kept])
        page = []
        for k in kept:
            member = members[k.member_id]
            for field in KEPT_FIELDS:
                setattr(member, field, getattr(k, field))
            page.append(member)
        return page


def worklist_rows(org, flag=None, q=""):
    """What the worklist page and API page through: the worklist of a city or a district from the kept rows
    (KeptWorklist), otherwise (a township and below, or a search by name) the queryset itself."""
    if not q and len(org.path) < summaries.SUMMARY_DEPTH * summaries.STEP:
        return KeptWorklist(org, flag)
    return flagged_queryset(org, flag, q)


def flagged_queryset(org, flag=None, q=""):
    """flagged_members of `org`, with one flag only and a search by name or pinyin initials when given."""
    qs = flagged_members(org.path)
    if flag:
        qs = qs.filter(**{flag: True})
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(initials__startswith=q.lower()))
    return qs


def count_aggregates():
    """The worklist's counts as aggregates: the aliases differ from the annotations they count (an alias would shadow
    its annotation in the filter)."""
    return {"total": Count("pk"), **{f"n_{flag.value}": Count("pk", filter=Q(**{flag.value: True})) for flag in FLAGS}}


def counts_of(row):
    return {"total": row["total"], **{flag.value: row[f"n_{flag.value}"] for flag in FLAGS}}


def flag_counts(flagged):
    """{flag: number of members} and the total, in one query over `flagged_members(...)`."""
    return counts_of(flagged.order_by().aggregate(**count_aggregates()))


def kept_flag_counts(org, today=None):
    """flag_counts of the whole worklist of `org`: kept for the city, a district or a township (talks/rollups.py),
    counted live below them."""
    counts = summaries.figures(FLAGS_ROLLUP, org.path, today)
    return {"total": counts.get("total", 0), **{flag.value: counts.get(flag.value, 0) for flag in FLAGS}}


FLAGS_ROLLUP = "talks.flags"


def row_flags(member):
    """The labels of a worklist row's open flags, with the day each counts from."""
    out = []
    if member.no_orglife:
        out.append((Flag.NO_ORGLIFE, member.window_start))
    if member.no_dues:
        out.append((Flag.NO_DUES, member.dues_window_start))
    if member.unqualified:
        out.append((Flag.UNQUALIFIED, member.unqualified_on))
    if member.lost_contact:
        out.append((Flag.LOST_CONTACT, member.lost_on))
    return out


COVERAGE_ROLLUP = "talks.coverage"


def coverage_counts(path, year, length, *, direct=False):
    """{path prefix of `length` characters: {total, talked}} of the members on the register of the subtree (or only
    those attached to `path` with `direct`), in one grouped query."""
    from django.db.models.functions import Substr

    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    talked = Exists(Talk.objects.filter(member=OuterRef("pk"), held_on__gte=first, held_on__lte=last))
    members = Member.objects.in_register()
    members = members.filter(org_path=path) if direct else members.filter(org_path__startswith=path)
    return {
        row["prefix"]: row
        for row in members.annotate(prefix=Substr("org_path", 1, length)).values("prefix")
        .annotate(total=Count("pk"), talked=Count("pk", filter=Q(talked))).order_by()
    }


def coverage(org, year):
    """Per child organization (or the org itself when it has none): members on the register, members with
    at least one talk in `year`, and the percentage — the yearly rule of TALKS_PER_MEMBER_PER_YEAR. For the city, a
    district or a township from the kept counts (talks/rollups.py), below them one grouped query: children share a
    path length, so a member's path prefix names the child."""
    from grassroots.orgs.models import Organization

    children = list(Organization.objects.children_of(org).order_by("path")) or [org]
    if children[0] == org:
        grouped = coverage_counts(org.path, year, len(org.path))
    else:
        _total, grouped = summaries.breakdown(COVERAGE_ROLLUP, org.path, key=str(year))
    rows = []
    if children[0] != org and grouped.get(org.path, {}).get("total"):  # members held directly by the organization itself
        direct = grouped[org.path]
        rows.append({"org": org, "direct": True, "total": direct["total"], "talked": direct["talked"],
                     "percent": rules.coverage_percent(direct["talked"], direct["total"])})
    for child in children:
        counts = {"total": 0, "talked": 0, **grouped.get(child.path, {})}
        rows.append({"org": child, "total": counts["total"], "talked": counts["talked"],
                     "percent": rules.coverage_percent(counts["talked"], counts["total"])})
    return rows


def not_talked_this_year(path, year):
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (
        Member.objects.in_register().filter(org_path__startswith=path)
        .exclude(Exists(Talk.objects.filter(member=OuterRef("pk"), held_on__gte=first, held_on__lte=last)))
        .select_related("org").order_by("org_path", "initials", "id")
    )
