"""Read-side queries: statistics of the new committees, flags, training hours and career lists (SQL aggregates)."""

import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from grassroots.orgs.choices import Category, Kind
from grassroots.orgs.models import Organization, Post

from . import rules
from .choices import Body, Grade, Seat, Stage
from .models import Attendance, Candidate, Election, Reserve, Review

VILLAGE_CATEGORIES = (Category.RURAL, Category.COMMUNITY)


def villages(paths_q):
    """Village and community Party organizations (the top one of each village: not its branches or groups)."""
    return (Organization.objects.filter(paths_q, category__in=VILLAGE_CATEGORIES, is_active=True)
            .exclude(kind=Kind.GROUP).exclude(Exists(Organization.objects.filter(
                path=_parent_path(OuterRef("path")), category__in=VILLAGE_CATEGORIES))))


def _parent_path(path_expr):
    from django.db.models.functions import Length, Substr

    return Substr(path_expr, 1, Length(path_expr) - Organization.steplen)


def _share(part, whole):
    return (Decimal(part * 100) / whole).quantize(Decimal("0.1")) if whole else Decimal("0")


def _post_subqueries():
    """Per village organization (OuterRef "pk"), from the posts held now at the organization itself: whether its
    secretary is also the villagers' (residents') committee director (一肩挑), the distinct holders of its Party
    committee's posts, and those of them who also hold a villagers' committee post there (交叉任职)."""
    from django.db.models import IntegerField, Subquery
    from django.db.models.functions import Coalesce

    from grassroots.orgs.choices import DIRECTOR_TITLES, SELF_GOVERNMENT_TITLES, PostTitle

    self_government = [t.value for t in SELF_GOVERNMENT_TITLES]
    posts = Post.objects.current().order_by()
    party_posts = posts.filter(org=OuterRef("pk")).exclude(title__in=[*self_government, PostTitle.GROUP_LEADER])
    director = posts.filter(title__in=[t.value for t in DIRECTOR_TITLES], org=OuterRef("org"), holder=OuterRef("holder"))
    on_villagers = posts.filter(title__in=self_government, org=OuterRef("org"), holder=OuterRef("holder"))

    def holders(qs):
        counted = qs.values("org").annotate(c=Count("holder", distinct=True)).values("c")[:1]
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    return {"one_shoulder": Exists(party_posts.filter(title=PostTitle.SECRETARY).filter(Exists(director))),
            "party_people": holders(party_posts), "cross": holders(party_posts.filter(Exists(on_villagers)))}


def _by_child(qs, path, figures):
    """`figures` (aggregates) over the organizations of `qs`, grouped by the path of the child of `path` each lies under
    (an organization that is `path` itself is keyed by `path`): {key: {figure: n}}, one grouped query."""
    from django.db.models.functions import Substr

    rows = qs.order_by().values(key=Substr("path", 1, len(path) + Organization.steplen)).annotate(**figures)
    return {row.pop("key"): {k: v or 0 for k, v in row.items()} for row in rows}


def village_figures(path):
    """Villages, one_shoulder, party_people and cross (as post_statistics counts them) of the village (community)
    organizations under `path`, by child of `path` (_by_child): one query whatever the number of organizations."""
    per_village = _post_subqueries()
    qs = villages(Q(path__startswith=path)).alias(**{f"v_{k}": v for k, v in per_village.items()})
    return _by_child(qs, path, {"villages": Count("pk"), "one_shoulder": Count("pk", filter=Q(v_one_shoulder=True)),
                                "party_people": Sum("v_party_people"), "cross": Sum("v_cross")})


def village_due_short(path, today, within_days):
    """Per child of `path` (_by_child), the village organizations under `path` counted by terms_due (`due`) and by
    reserve_shortfall (`short`): one query whatever the number of organizations. (Kept apart from village_figures: one
    query with all the per-village subqueries is costed high enough for PostgreSQL's JIT, which then takes longer
    than the query.)"""
    qs = with_reserves(villages(Q(path__startswith=path)), alias=True).alias(
        open_election=Exists(Election.objects.filter(org=OuterRef("pk")).exclude(stage=Stage.CLOSED)))
    return _by_child(qs, path, {
        "due": Count("pk", filter=Q(term_end__isnull=False, term_end__lte=today + datetime.timedelta(days=within_days), open_election=False)),
        "short": Count("pk", filter=Q(reserves__lt=rules.reserves_per_village()))})


def sum_figures(rows):
    """The figures of village_figures added up over its rows (the whole of `path`)."""
    total = {"villages": 0, "one_shoulder": 0, "party_people": 0, "cross": 0}
    for row in rows:
        for k, v in row.items():
            total[k] = total.get(k, 0) + v
    return total


def post_shares(figures):
    """post_statistics' dict from village_figures' counts."""
    return {"villages": figures["villages"], "one_shoulder": figures["one_shoulder"],
            "one_shoulder_share": _share(figures["one_shoulder"], figures["villages"]), "party_people": figures["party_people"],
            "cross": figures["cross"], "cross_share": _share(figures["cross"], figures["party_people"])}


def post_statistics(path):
    """一肩挑 and 交叉任职 from the posts held now in the organization tree, over the village (community) organizations
    under `path`: villages whose Party secretary is also the villagers' (residents') committee director; Party committee
    members of a village who also hold a villagers' committee post there (distinct people), out of all of them.
    One grouped query (village_figures), whatever the number of villages."""
    return post_shares(sum_figures(village_figures(path).values()))


def statistics(path, today, posts=None):
    """The department's figures: 一肩挑 and 交叉任职 from the posts held now (post_statistics, or `posts` when the caller
    has them already); age, education, women and new faces over the elected of the closed elections under `path`."""
    elected = Candidate.objects.filter(election__org_path__startswith=path, election__stage=Stage.CLOSED, elected=True)
    agg = elected.aggregate(
        total=Count("id"), women=Count("id", filter=Q(gender="female")), new=Count("id", filter=Q(incumbent=False)),
        college=Count("id", filter=Q(education__in=["postgraduate", "bachelor", "college"])),
        under40=Count("id", filter=Q(birth_date__gt=rules.add_years(today, -40))),
        over55=Count("id", filter=Q(birth_date__lte=rules.add_years(today, -55))),
        elections=Count("election", distinct=True),
    )
    total = agg["total"]
    return {
        **(posts if posts is not None else post_statistics(path)),
        "elections": agg["elections"], "elected": total, "women": agg["women"], "women_share": _share(agg["women"], total),
        "new": agg["new"], "new_share": _share(agg["new"], total), "college": agg["college"], "college_share": _share(agg["college"], total),
        "under40": agg["under40"], "over55": agg["over55"], "middle": total - agg["under40"] - agg["over55"],
    }


def stage_counts(path):
    rows = dict(Election.objects.filter(org_path__startswith=path).values_list("stage").annotate(n=Count("id")).values_list("stage", "n"))
    return [(s.label, rows.get(s.value, 0)) for s in Stage]


def election_counts(qs, path):
    """Elections of `qs` under `path` open and closed, keyed by the path of the child of `path` they lie under, in one
    grouped query: {key: {"open": n, "closed": n}}."""
    from django.db.models.functions import Substr

    rows = (qs.filter(org_path__startswith=path).order_by().values(key=Substr("org_path", 1, len(path) + Organization.steplen))
            .annotate(open=Count("id", filter=~Q(stage=Stage.CLOSED)), closed=Count("id", filter=Q(stage=Stage.CLOSED))))
    return {row.pop("key"): row for row in rows}


def with_reserves(qs, alias=False):
    """Annotate village organizations with `reserves`: the people in the pool now, in one subquery (an alias, not
    selected, with `alias`)."""
    from django.db.models import IntegerField, Subquery
    from django.db.models.functions import Coalesce

    # Grouped by left_on, which is NULL on every row kept: one group, its count.
    sub = (Reserve.objects.filter(org_path__startswith=OuterRef("path"), left_on__isnull=True).order_by()
           .values("left_on").annotate(c=Count("id")).values("c")[:1])
    reserves = Coalesce(Subquery(sub, output_field=IntegerField()), 0)
    return qs.alias(reserves=reserves) if alias else qs.annotate(reserves=reserves)


def reserve_shortfall(paths_q):
    """Village organizations with fewer reserves in the pool than the ratio (rules.reserves_per_village)."""
    return with_reserves(villages(paths_q)).filter(reserves__lt=rules.reserves_per_village())


def terms_due(paths_q, today, within_days):
    """Village organizations whose term ends within `within_days` (or has ended) and that have no open election."""
    return (villages(paths_q).filter(term_end__isnull=False, term_end__lte=today + datetime.timedelta(days=within_days))
            .exclude(Exists(Election.objects.filter(org=OuterRef("pk")).exclude(stage=Stage.CLOSED))))


def training_hours(path, year):
    """Hours per trainee in `year` under `path`: rows of name, member_id, reserve_id, hours."""
    return (Attendance.objects.filter(person_path__startswith=path, course__held_on__year=year)
            .values("name", "member_id", "reserve_id").annotate(hours=Sum("course__hours"), courses=Count("id")).order_by("hours", "name"))


def secretaries(path):
    """Current secretaries of the village organizations under `path`."""
    return (Post.objects.current().filter(org__path__startswith=path, title=Seat.SECRETARY, org__category__in=VILLAGE_CATEGORIES)
            .select_related("org", "holder"))


def training_below(path, year, hours=None):
    """Secretaries and reserves in the pool under `path` with fewer hours than the minimum in `year` (`hours`: the rows
    of training_hours(path, year) when the caller has them already). Plain values, not model instances: at city scope
    these are thousands of rows."""
    minimum = Decimal(rules.training_hours_min())
    hours = {(r["member_id"], r["reserve_id"]): r["hours"] for r in (training_hours(path, year) if hours is None else hours)}
    rows = []
    for holder_id, name, org in secretaries(path).values_list("holder_id", "holder__name", "org__name"):
        h = hours.get((holder_id, None), Decimal(0))
        if h < minimum:
            rows.append({"name": name, "org": org, "kind": "书记", "hours": h})
    for pk, name, org in Reserve.objects.filter(org_path__startswith=path, left_on__isnull=True).values_list("pk", "name", "org__name"):
        h = hours.get((None, pk), Decimal(0))
        if h < minimum:
            rows.append({"name": name, "org": org, "kind": "后备人才", "hours": h})
    return rows


def flagged_for_adjustment(qs):
    """Reviews rows of cadres with 不称职 two years running: [(org, name, years)]."""
    rows = qs.filter(grade=Grade.INCOMPETENT).values_list("org_id", "org__name", "name", "year").order_by("org_id", "name", "year")
    found, prev = [], None
    for org_id, org_name, name, year in rows:
        if prev and prev[0] == (org_id, name) and prev[1] == year - 1:
            found.append({"org_id": org_id, "org": org_name, "name": name, "years": f"{year - 1}、{year}"})
        prev = ((org_id, name), year)
    return found


def career_lists(path, today):
    """The secretaries eligible for township posts and for civil-service / institution recruitment: in post at least
    `career_years()`; township posts need 优秀 in each of the last two years and the age limit; recruitment needs
    at least 称职 in each of the last two years."""
    years = rules.career_years()
    cutoff = rules.add_years(today, -years)
    last = (today.year - 2, today.year - 1)
    # only a holder graded at least 称职 in both years can be listed: read those posts, not every secretary of a city
    graded_both_years = (
        Review.objects.filter(year__in=last, grade__in=(Grade.EXCELLENT, Grade.COMPETENT)).order_by().values("member_id")
        .annotate(years=Count("year", distinct=True)).filter(years=len(last)).values("member_id")
    )
    posts = list(secretaries(path).filter(started_on__lte=cutoff, holder_id__in=graded_both_years))
    grades = {}
    for member_id, year, grade in Review.objects.filter(member_id__in=[p.holder_id for p in posts], year__in=last).values_list(
            "member_id", "year", "grade"):
        grades.setdefault(member_id, {})[year] = grade
    township, recruitment = [], []
    for p in posts:
        g = grades.get(p.holder_id, {})
        row = {"post": p, "age": rules.age_on(p.holder.birth_date, today), "grades": [Grade(g[y]).label if y in g else "—" for y in last]}
        if all(g.get(y) == Grade.EXCELLENT for y in last) and row["age"] <= rules.career_max_age():
            township.append(row)
        if all(g.get(y) in (Grade.EXCELLENT, Grade.COMPETENT) for y in last):
            recruitment.append(row)
    return township, recruitment, last


def body_label(body):
    return Body(body).label


def with_terms(qs):
    """Annotate village organizations with the latest recorded term of the villagers' committee (`v_start`, `v_end`)
    and whether an election is open (`open_election`); the Party organization's term is the organization's own."""
    from django.db.models import Subquery

    from .models import Term

    latest = Term.objects.filter(org=OuterRef("pk"), body=Body.VILLAGERS).order_by("-starts_on", "-id")
    return qs.annotate(v_start=Subquery(latest.values("starts_on")[:1]), v_end=Subquery(latest.values("ends_on")[:1]),
                       open_election=Exists(Election.objects.filter(org=OuterRef("pk")).exclude(stage=Stage.CLOSED)))


def term_state(term_end, today, open_election):
    """How a term stands on `today`: (label, css) — 已届满, 即将届满 (within the longest reminder lead), 换届中, 任期内, 未登记."""
    if term_end is None:
        return "未登记任期", "warn"
    if open_election:
        return "换届进行中", ""
    if term_end < today:
        return "已届满", "warn"
    if term_end <= today + datetime.timedelta(days=max(rules.reminder_days())):
        return f"{(term_end - today).days} 天后届满", "warn"
    return "任期内", ""
