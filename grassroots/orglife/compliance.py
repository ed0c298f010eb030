"""The compliance engine: for every branch of a subtree and a year, what the regulation requires against
what was held, per period.

Five queries whatever the number of branches: the branches, their Party groups, the committee posts, the
full members counted per month, and the held meetings counted in SQL grouped by (organization, kind, local
month). Everything else is arithmetic on those rows.

Decisions (documented in rules.py as well):
- A meeting counts as held when it is recorded or confirmed (HELD_STATES); a planned one does not.
- Periods are calendar months / quarters / years in Asia/Shanghai.
- An organization owes a period when it existed on at least half of its days (rules.owes_period);
  a meeting held in a period it does not owe still shows as held.
- Committee meetings are owed in a month when the branch must have a committee on that month's last day:
  rules.COMMITTEE_FULL_MEMBERS or more full members (支部工作条例 art. 8; probationary members do not count).
  Whether the record holds a committee (rules.COMMITTEE_MIN_POSTS committee posts) does not excuse the
  meetings; a branch that needs one and has none is a structural gap (`BranchCompliance.committee_gap`), and so
  is a branch below the threshold with committee-only posts set. Group meetings are owed per Party group.
- Full members are counted from the members' current organizations (a member transferred between two branches
  of the subtree counts in the new one for the whole year): the record keeps no organization per month.
- A requirement whose period has not ended and is not yet met is "open", not "missing".
"""

import datetime
import functools
import operator
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from grassroots.orgs.choices import BRANCH_KINDS, Kind
from grassroots.orgs.models import Organization, Post

from . import rules
from .choices import HELD_STATES, MeetingKind, Period
from .models import Meeting

MET, MISSING, OPEN, UPCOMING, NOT_OWED = "met", "missing", "open", "upcoming", "not_owed"
STATUS_LABELS = {MET: "已完成", MISSING: "未完成", OPEN: "进行中", UPCOMING: "未到期", NOT_OWED: "不要求"}
NOT_YET_DUE = (OPEN, UPCOMING)
BRANCH_LEVEL_KINDS = (MeetingKind.GENERAL_ASSEMBLY, MeetingKind.COMMITTEE, MeetingKind.LECTURE, MeetingKind.THEME_DAY, MeetingKind.LIFE_MEETING)


@dataclass(slots=True)
class Item:
    """One requirement: a kind of meeting, for one organization (the branch or one of its groups), in one period."""

    kind: str
    org_id: int
    org_name: str
    period: str
    index: int
    first: datetime.date
    last: datetime.date
    owed: bool
    held: int
    status: str = ""

    @property
    def kind_label(self):
        return MeetingKind(self.kind).label

    @property
    def period_label(self):
        return rules.period_label(self.period, self.index)

    def last_month(self):
        return self.last.month


@dataclass
class Cell:
    column: int
    items: list = field(default_factory=list)

    @property
    def owed(self):
        return sum(1 for i in self.items if i.owed)

    @property
    def met(self):
        return sum(1 for i in self.items if i.owed and i.held)

    @property
    def held(self):
        return sum(i.held for i in self.items)

    @property
    def missing(self):
        return [i for i in self.items if i.status == MISSING]

    @property
    def status(self):
        owed = [i for i in self.items if i.owed]
        if not owed:
            return MET if any(i.held for i in self.items) else NOT_OWED
        if any(i.status == MISSING for i in owed):
            return MISSING
        if any(i.status == OPEN for i in owed):
            return OPEN
        if any(i.status == UPCOMING for i in owed):
            return UPCOMING
        return MET

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


@dataclass
class BranchCompliance:
    org: Organization
    items: list = field(default_factory=list)
    groups: int = 0
    committee_months: int = 0  # months whose last day the record held a committee (COMMITTEE_MIN_POSTS posts)
    full_members: int = 0  # in the reference month: the current month, or the year's last for a past year
    committee_gap: str | None = None  # rules.committee_gap in the reference month

    @property
    def committee_gap_label(self):
        return rules.COMMITTEE_GAP_LABELS.get(self.committee_gap, "")

    @property
    def due(self):
        return sum(d for _m, d in self.column_counts(Period.MONTH))

    @property
    def met(self):
        return sum(m for m, _d in self.column_counts(Period.MONTH))

    @property
    def percent(self):
        return round(100 * self.met / self.due) if self.due else None

    def set_month_counts(self, month_counts):
        """[(met, due)] per month 1..12 (index 0 unused), counted by compute() while it walks the requirements."""
        self.__dict__["_month_counts"] = month_counts
        self.__dict__["_columns"] = {}

    def column_counts(self, granularity=Period.MONTH):
        """[(met, due)] per column, counted once and kept (roll-ups and the trend add these up)."""
        cache = self.__dict__.setdefault("_columns", {})
        if granularity not in cache:
            month_counts = self.__dict__.get("_month_counts")
            if month_counts is None:
                month_counts = [[0, 0] for _ in range(13)]
                for item in self.items:
                    if item.owed and item.status in (MET, MISSING):
                        c = month_counts[item.last.month]
                        c[1] += 1
                        if item.status == MET:
                            c[0] += 1
            if granularity == Period.MONTH:
                cache[granularity] = [tuple(c) for c in month_counts[1:]]
            else:
                cache[granularity] = [
                    (sum(month_counts[m][0] for m in range(3 * q + 1, 3 * q + 4)), sum(month_counts[m][1] for m in range(3 * q + 1, 3 * q + 4)))
                    for q in range(4)
                ]
        return cache[granularity]

    def cells(self, granularity=Period.MONTH):
        """The requirements arranged by column: 12 months or 4 quarters. A quarterly requirement sits in its
        quarter's last month, a yearly one in December (or in the fourth quarter)."""
        count = 12 if granularity == Period.MONTH else 4
        cells = [Cell(c) for c in range(1, count + 1)]
        for item in self.items:
            month = item.last.month
            column = month if granularity == Period.MONTH else (month - 1) // 3 + 1
            cells[column - 1].items.append(item)
        return cells


def due_status(last, column_month, today):
    """An owed, unmet requirement: missing once its period has ended; "未到期" while the month of the column
    it is shown in (the period's last month) has not begun, so a yearly requirement does not read as
    “进行中” in December's column in November; otherwise in progress."""
    if last < today:
        return MISSING
    if datetime.date(last.year, column_month, 1) > today:
        return UPCOMING
    return OPEN


def _year_bounds(year):
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=tz),
        datetime.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def _alive_in(year):
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (Q(established_on__isnull=True) | Q(established_on__lte=last)) & (
        Q(dissolved_on__isnull=True, is_active=True) | Q(dissolved_on__gte=first)
    )


def _under(field, paths):
    """Q: `field` in the subtree of `paths` (one path, or several: the subtrees of a few branches or townships)."""
    if isinstance(paths, str):
        return Q(**{f"{field}__startswith": paths})
    return functools.reduce(operator.or_, (Q(**{f"{field}__startswith": p}) for p in paths))


def held_counts(path, year):
    """{org_id: {kind: [_, jan, ..., dec]}} of held meetings in the subtree (or subtrees: a list of paths), from one
    query on the local-month column. Almost every (organization, kind, month) holds a single meeting, so grouping in
    SQL only adds a hash aggregate; the rows are read straight from the cursor and counted here."""
    qs = Meeting.objects.filter(
        _under("org_path", path), month__gte=year * 100 + 1, month__lte=year * 100 + 12, state__in=HELD_STATES
    ).values_list("org_id", "kind", "month").order_by()
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    held = {}
    for org_id, kind, month in rows:
        by_kind = held.get(org_id)
        if by_kind is None:
            held[org_id] = by_kind = {}
        counts = by_kind.get(kind)
        if counts is None:
            by_kind[kind] = counts = [0] * 13
        counts[month % 100] += 1
    return held


NO_MEETINGS = (0,) * 13
NO_MEMBERS = (0,) * 13


def full_members_by_month(path, year, branch_paths=None):
    """{branch path: [_, jan, ..., dec]}: the full members of each branch of the subtree (its Party groups included)
    on the last day of every month of `year`. One grouped query. A member counts from the month of `full_on` (a
    full member without the date counts all year) until the month before `left_on` for one who has left;
    probationary members never count (支部工作条例 art. 8 counts 正式党员). `branch_paths`: the subtree's branches when
    the caller has them (else one more query)."""
    from django.db.models import Case, IntegerField, Value, When
    from django.db.models.functions import ExtractMonth

    from grassroots.members.choices import OFF_REGISTER, State, Status
    from grassroots.members.models import Member

    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = (
        Member.objects.filter(_under("org_path", path), status=Status.FULL)
        .exclude(full_on__gt=last)
        .filter(~Q(state__in=OFF_REGISTER) | Q(state=State.LEFT, left_on__gte=first))
        .annotate(
            from_month=Case(
                When(Q(full_on__isnull=True) | Q(full_on__lt=first), then=Value(1)),
                default=ExtractMonth("full_on"), output_field=IntegerField(),
            ),
            to_month=Case(
                When(state=State.LEFT, left_on__lte=last, then=ExtractMonth("left_on") - 1),
                default=Value(12), output_field=IntegerField(),
            ),
        )
        .values_list("org_path", "from_month", "to_month").annotate(n=Count("id")).order_by()
    )
    by_org = {}
    for org_path, from_month, to_month, n in rows:
        counts = by_org.setdefault(org_path, [0] * 13)
        for month in range(from_month, to_month + 1):
            counts[month] += n
    if branch_paths is None:
        branch_paths = set(Organization.objects.filter(_under("path", path), kind__in=BRANCH_KINDS).values_list("path", flat=True))
    result = {}
    for org_path, counts in by_org.items():
        branch = org_path if org_path in branch_paths else org_path[: -Organization.steplen]
        if branch not in branch_paths:
            continue  # members held by a committee or general branch directly
        total = result.setdefault(branch, [0] * 13)
        for month in range(1, 13):
            total[month] += counts[month]
    return result


def reference_month(year, today):
    """The month a year's structural state is read in: the current month for this year, December for a past year,
    January for a future one."""
    if year == today.year:
        return today.month
    return 12 if year < today.year else 1


def compute(root, year, today=None, detail=True):
    """[BranchCompliance] for every branch in `root`'s subtree (or the branch of a group) alive in `year`.

    `detail`: True keeps every requirement as an Item (for the cells of a matrix); False keeps only the per-month
    (met, due) counts, which is all roll-ups, percentages and the trend need (a city has ~280,000 requirements);
    a callable (position, branch) -> bool keeps items for some branches only (a page of them)."""
    if root.kind == Kind.GROUP:
        root = Organization.objects.get(path=root.parent_path)
    return compute_paths(root.path, year, today, detail)


def compute_paths(path, year, today=None, detail=True, gaps_only=False):
    """compute() over the subtree of `path`, or of several paths (a list: some townships, some branches), in the
    same five queries; the branches in path order. `gaps_only`: only `full_members` and `committee_gap` (four
    queries, no requirements: for listing the structural gaps)."""
    today = today or timezone.localdate()
    if not isinstance(path, str):
        path = sorted(set(path))
        if not path:
            return []
    alive = _alive_in(year)
    branches = list(
        Organization.objects.filter(alive, _under("path", path), kind__in=BRANCH_KINDS).order_by("path")
    )
    if not branches:
        return []
    groups = {}
    for g in () if gaps_only else (
        Organization.objects.filter(alive, _under("path", path), kind=Kind.GROUP)
        .order_by("path")
        .values_list("id", "path", "name", "short_name", "established_on", "dissolved_on")
    ):
        groups.setdefault(g[1][: -Organization.steplen], []).append(g)
    posts = {}
    for org_id, title, started, ended in Post.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=datetime.date(year, 1, 1)),
        _under("org__path", path),
        org__kind__in=BRANCH_KINDS,
        title__in=rules.COMMITTEE_TITLES,
        started_on__lte=datetime.date(year, 12, 31),
    ).values_list("org_id", "title", "started_on", "ended_on"):
        posts.setdefault(org_id, []).append((started, ended, title in rules.COMMITTEE_ONLY_TITLES))
    full = full_members_by_month(path, year, {b.path for b in branches})
    held = held_counts(path, year) if not gaps_only else {}
    ref = reference_month(year, today)

    all_periods = (Period.MONTH, Period.QUARTER, Period.YEAR)
    bounds = {p: [rules.period_bounds(p, year, i) for i in range(1, rules.period_count(p) + 1)] for p in all_periods}
    months = bounds[Period.MONTH]
    month_lasts = [last for _first, last in months]
    always = {p: [True] * len(bounds[p]) for p in all_periods}
    never_committee = [False] * 12
    # (kind, period, [(index, first, last, first month, last month)]) for the branch-level requirements
    plan = []
    for kind in BRANCH_LEVEL_KINDS:
        period = rules.required_period(kind)
        plan.append((kind, period, [(i, f, la, f.month, la.month) for i, (f, la) in enumerate(bounds[period], start=1)]))

    year_first, year_last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    def owes(established, dissolved, period):
        if (established is None or established <= year_first) and (dissolved is None or dissolved >= year_last):
            return always[period]
        return [rules.owes_period(f, la, established, dissolved) for f, la in bounds[period]]

    result = []
    for position, branch in enumerate(branches):
        bc = BranchCompliance(org=branch)
        keep = detail(position, branch) if callable(detail) else detail
        items = bc.items
        tally = [[0, 0] for _ in range(13)]  # per month of the period's end: [met, due]
        branch_id = branch.pk
        name = branch.short_name or branch.name
        owed_by_period = {p: owes(branch.established_on, branch.dissolved_on, p) for p in all_periods}
        branch_posts = posts.get(branch_id)
        if branch_posts and len(branch_posts) >= rules.COMMITTEE_MIN_POSTS:
            committee = [
                rules.has_committee(sum(1 for s, e, _o in branch_posts if s <= last and (e is None or e >= last))) for last in month_lasts
            ]
        else:
            committee = never_committee
        bc.committee_months = sum(committee)
        branch_full = full.get(branch.path, NO_MEMBERS)
        needs = [rules.needs_committee(branch_full[m]) for m in range(1, 13)]
        ref_last = month_lasts[ref - 1]
        held_posts = [o for s, e, o in branch_posts or () if s <= ref_last and (e is None or e >= ref_last)]
        bc.full_members = branch_full[ref]
        bc.committee_gap = rules.committee_gap(bc.full_members, len(held_posts), sum(held_posts))
        if gaps_only:
            result.append(bc)
            continue
        by_kind = held.get(branch_id, {})
        for kind, period, periods in plan:
            counts = by_kind.get(kind, NO_MEETINGS)
            owed_list = owed_by_period[period]
            for index, first, last, m1, m2 in periods:
                owed = owed_list[index - 1]
                if kind == MeetingKind.COMMITTEE:
                    owed = owed and needs[index - 1]
                n = counts[m1] if m1 == m2 else sum(counts[m1 : m2 + 1])
                status = MET if n else (NOT_OWED if not owed else due_status(last, m2, today))
                if owed and status not in NOT_YET_DUE:
                    t = tally[m2]
                    t[1] += 1
                    if n:
                        t[0] += 1
                if keep:
                    items.append(Item(kind, branch_id, name, period, index, first, last, owed, n, status))
        branch_groups = groups.get(branch.path, ())
        bc.groups = len(branch_groups)
        branch_months = owed_by_period[Period.MONTH]
        for gid, _gpath, gname, gshort, gest, gdis in branch_groups:
            gname = gshort or gname
            counts = held.get(gid, {}).get(MeetingKind.GROUP, NO_MEETINGS)
            group_months = owes(gest, gdis, Period.MONTH)
            for index, (first, last) in enumerate(months, start=1):
                owed = branch_months[index - 1] and group_months[index - 1]
                n = counts[index]
                status = MET if n else (NOT_OWED if not owed else due_status(last, index, today))
                if owed and status not in NOT_YET_DUE:
                    t = tally[index]
                    t[1] += 1
                    if n:
                        t[0] += 1
                if keep:
                    items.append(Item(MeetingKind.GROUP, gid, gname, Period.MONTH, index, first, last, owed, n, status))
        bc.set_month_counts(tally)
        result.append(bc)
    return result


@dataclass
class CommitteeGap:
    org: Organization
    gap: str  # rules.COMMITTEE_MISSING or rules.COMMITTEE_NOT_NEEDED
    full_members: int
    committee_posts: int

    @property
    def label(self):
        return rules.COMMITTEE_GAP_LABELS[self.gap]


def committee_gaps(path, as_of=None):
    """[CommitteeGap] for the active branches of the subtree whose leadership the record gets wrong on `as_of`
    (支部工作条例 art. 8, rules.committee_gap): 7+ full members and no committee, or fewer and committee-only posts.
    The same counts as the compliance engine (full_members_by_month in `as_of`'s month); three queries."""
    as_of = as_of or timezone.localdate()
    branches = list(
        Organization.objects.filter(path__startswith=path, kind__in=BRANCH_KINDS, is_active=True)
        .exclude(established_on__gt=as_of).order_by("path")
    )
    if not branches:
        return []
    posts = {}
    for org_id, title in Post.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=as_of), org__path__startswith=path, org__kind__in=BRANCH_KINDS,
        title__in=rules.COMMITTEE_TITLES, started_on__lte=as_of,
    ).values_list("org_id", "title"):
        posts.setdefault(org_id, []).append(title in rules.COMMITTEE_ONLY_TITLES)
    full = full_members_by_month(path, as_of.year, {b.path for b in branches})
    gaps = []
    for branch in branches:
        held_posts = posts.get(branch.pk, [])
        n = full.get(branch.path, NO_MEMBERS)[as_of.month]
        gap = rules.committee_gap(n, len(held_posts), sum(held_posts))
        if gap:
            gaps.append(CommitteeGap(branch, gap, n, len(held_posts)))
    return gaps


@dataclass
class Rollup:
    org: Organization
    branches: int = 0
    due: int = 0
    met: int = 0
    columns: list = field(default_factory=list)  # [(met, due)] per column

    @property
    def percent(self):
        return round(100 * self.met / self.due) if self.due else None

    def column_percents(self):
        return [round(100 * m / d) if d else None for m, d in self.columns]


def rollup(children, branch_results, granularity=Period.MONTH):
    """Per child organization: how many of the due requirements of its branches were met, overall and per column."""
    count = 12 if granularity == Period.MONTH else 4
    by_child = {c.path: Rollup(org=c, columns=[(0, 0)] * count) for c in children}
    lengths = sorted({len(p) for p in by_child}, reverse=True)
    sums = {p: [[0, 0] for _ in range(count)] for p in by_child}
    for bc in branch_results:
        child = next((bc.org.path[:n] for n in lengths if bc.org.path[:n] in by_child), None)
        if child is None:
            continue
        r = by_child[child]
        r.branches += 1
        r.due += bc.due
        r.met += bc.met
        cols = sums[child]
        for c, (m, d) in zip(cols, bc.column_counts(granularity), strict=True):
            c[0] += m
            c[1] += d
    for p, r in by_child.items():
        r.columns = [tuple(c) for c in sums[p]]
    return [by_child[c.path] for c in children]


# ---- kept figures (orglife/rollups.py, grassroots/orgs/summaries.py) ----------------------------------------


def figures_by_prefix(results, path):
    """{prefix: {name: int}} of compute()'s results for the subtree of `path`: per direct child of `path` (the branch
    itself under `path` when `path` is a branch) `b` branches, `m1`..`m12` and `d1`..`d12` the requirements met and
    due per month (of the period's end, as BranchCompliance.column_counts), `g` branches with a committee gap.
    Additive, so a district's figures are the sum of its townships'. Zeros are left out."""
    child_length = len(path) + Organization.steplen
    by_prefix = {}
    for bc in results:
        prefix = bc.org.path[:child_length]
        values = by_prefix.setdefault(prefix, {})
        values["b"] = values.get("b", 0) + 1
        for month, (met, due) in enumerate(bc.column_counts(Period.MONTH), start=1):
            if due:
                values[f"d{month}"] = values.get(f"d{month}", 0) + due
            if met:
                values[f"m{month}"] = values.get(f"m{month}", 0) + met
        if bc.committee_gap:
            values["g"] = values.get("g", 0) + 1
    return by_prefix


def month_counts(values):
    """[(met, due)] per month 1..12 of kept figures."""
    return [(values.get(f"m{m}", 0), values.get(f"d{m}", 0)) for m in range(1, 13)]


def rollup_from_figures(org, values, granularity=Period.MONTH):
    """The Rollup that rollup() gives for the branches the figures count."""
    months = month_counts(values)
    if granularity == Period.MONTH:
        columns = months
    else:
        columns = [
            (sum(m for m, _d in months[3 * q : 3 * q + 3]), sum(d for _m, d in months[3 * q : 3 * q + 3])) for q in range(4)
        ]
    return Rollup(
        org=org, branches=values.get("b", 0), due=sum(d for _m, d in months), met=sum(m for m, _d in months), columns=columns
    )


def trend_from_figures(values):
    """yearly_trend() of the branches the figures count."""
    return [round(100 * m / d) if d else None for m, d in month_counts(values)]


def yearly_trend(branch_results):
    """Per month of the year: percentage of the requirements ending that month that were met (for the chart)."""
    cols = [[0, 0] for _ in range(12)]
    for bc in branch_results:
        for c, (m, d) in zip(cols, bc.column_counts(Period.MONTH), strict=True):
            c[0] += m
            c[1] += d
    return [round(100 * m / d) if d else None for m, d in cols]


# ---- members: the six-month rule and attendance rates --------------------------------------------------


def six_month_period(as_of):
    """(first day, last day) of the six months that end on `as_of`'s eve: a member present at no held meeting, and
    neither joined nor back, from `first` to `as_of` is listed (rules.six_months_cutoff is the day before `first`)."""
    return rules.six_months_cutoff(as_of) + datetime.timedelta(days=1), as_of


def six_month_absentees(path, as_of=None):
    """Members of the subtree who on `as_of` have taken part in no organizational life for six consecutive months,
    counted to the day (Party Constitution art. 9, 自行脱党; rules.six_months_cutoff). The one function behind the
    six-month list, its export and API, the talks worklist, the points page and the home panel.

    The six months count from the latest of: the last held meeting (recorded or confirmed) the member attended as
    present, on its Beijing date; the day they joined the Party (`joined_on`); the day they came into their present
    organization (the last "moved" history event: a transfer received, or a move); the day they came back from
    floating (FloatingRecord.returned_on); the day contact was restored after they were lost (LostContactCase closed
    as restored). Only what happened on or before `as_of` counts, so a past `as_of` gives that day's list.

    Each row is annotated with `last_present` (datetime of the last attendance up to `as_of`), `since` (the day the
    six months count from), and `leaves` (meetings on leave in the six months: shown for the branch to judge whether
    the reason is proper, never excused automatically). A floating member who attends where they are is not listed
    (the attendance counts wherever it is recorded)."""
    from django.db.models import DateField, Exists, Max, OuterRef, Subquery
    from django.db.models.functions import Coalesce, Greatest, TruncDate

    from grassroots.members.choices import EventKind
    from grassroots.members.models import Member, MemberEvent
    from grassroots.relations.choices import CaseState
    from grassroots.relations.models import FloatingRecord, LostContactCase

    from .choices import AttendanceStatus
    from .models import Attendance

    as_of = as_of or timezone.localdate()
    first, _ = six_month_period(as_of)
    tz = timezone.get_current_timezone()
    period_start = datetime.datetime(first.year, first.month, first.day, tzinfo=tz)
    period_end = datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)
    held = Attendance.objects.filter(
        member=OuterRef("pk"), meeting__state__in=HELD_STATES, meeting__starts_at__lt=period_end
    )
    present = held.filter(status=AttendanceStatus.PRESENT)
    moved = MemberEvent.objects.filter(member=OuterRef("pk"), kind=EventKind.MOVED, happened_on__lte=as_of)
    returned = FloatingRecord.objects.filter(member=OuterRef("pk"), returned_on__lte=as_of)
    restored = LostContactCase.objects.filter(member=OuterRef("pk"), state=CaseState.RESTORED, closed_on__lte=as_of)

    def latest(qs, field):
        return Subquery(qs.order_by().values("member").annotate(last=Max(field)).values("last"), output_field=DateField())

    last_present = present.order_by().values("member").annotate(last=Max("meeting__starts_at")).values("last")
    last_present_day = present.order_by().values("member").annotate(last=Max(TruncDate("meeting__starts_at"))).values("last")
    leaves = (
        held.filter(status=AttendanceStatus.LEAVE, meeting__starts_at__gte=period_start).order_by().values("member")
        .annotate(n=Count("id")).values("n")
    )
    joined = "joined_on"
    since = Greatest(
        joined,
        Coalesce(Subquery(last_present_day, output_field=DateField()), joined),
        Coalesce(latest(moved, "happened_on"), joined),
        Coalesce(latest(returned, "returned_on"), joined),
        Coalesce(latest(restored, "closed_on"), joined),
        output_field=DateField(),
    )
    # Members who came into their organization, back from floating or back in contact within the six months: three
    # rare events, read as one uncorrelated list (PostgreSQL keeps it as a hashed filter on the member scan). As
    # three NOT EXISTS they were three more anti-joins, each passing every remaining member of the city (a quarter
    # slower than the attendance check alone). member_id is never NULL, so NOT IN means NOT EXISTS here.
    came_back = (
        MemberEvent.objects.filter(kind=EventKind.MOVED, happened_on__gte=first, happened_on__lte=as_of)
        .order_by().values("member_id")
        .union(
            FloatingRecord.objects.filter(returned_on__gte=first, returned_on__lte=as_of).order_by().values("member_id"),
            LostContactCase.objects.filter(state=CaseState.RESTORED, closed_on__gte=first, closed_on__lte=as_of)
            .order_by().values("member_id"),
            all=True,
        )
    )
    return (
        Member.objects.in_register()
        .filter(org_path__startswith=path, joined_on__lt=first)
        .exclude(Exists(present.filter(meeting__starts_at__gte=period_start)))
        .exclude(pk__in=came_back)
        .annotate(last_present=Subquery(last_present), leaves=Subquery(leaves), since=since)
        .select_related("org")
        .order_by("org_path", "initials", "id")
    )


def attendance_rates(path, year):
    """Members of the subtree with their attendance at held meetings of `year` (Beijing months): `expected`
    (rows on rolls), `present`, `on_leave`, and `rate` in percent (None without any roll row). One query."""
    from django.db.models import F, FloatField, Value
    from django.db.models.functions import Cast, NullIf, Round

    from grassroots.members.models import Member

    from .choices import AttendanceStatus

    held_in_year = Q(
        attendances__meeting__state__in=HELD_STATES,
        attendances__meeting__month__gte=year * 100 + 1,
        attendances__meeting__month__lte=year * 100 + 12,
    )
    return (
        Member.objects.in_register()
        .filter(org_path__startswith=path)
        .annotate(
            expected=Count("attendances", filter=held_in_year),
            present=Count("attendances", filter=held_in_year & Q(attendances__status=AttendanceStatus.PRESENT)),
            on_leave=Count("attendances", filter=held_in_year & Q(attendances__status=AttendanceStatus.LEAVE)),
        )
        .annotate(rate=Round(Value(100.0) * Cast(F("present"), FloatField()) / NullIf(Cast(F("expected"), FloatField()), Value(0.0))))
        .select_related("org")
        .order_by("org_path", "initials", "id")
    )
