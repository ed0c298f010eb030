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


def post_statistics(path):
    """一肩挑 and 交叉任职 from the posts held now in the organization tree, over the village (community) organizations
    under `path`: villages whose Party secretary is also the villagers' (residents') committee director; Party committee
    members of a village who also hold a villagers' committee post there (distinct people), out of all of them."""
    from grassroots.orgs.choices import DIRECTOR_TITLES, SELF_GOVERNMENT_TITLES, PostTitle

    village_ids = villages(Q(path__startswith=path)).values("pk")
    posts = Post.objects.current().filter(org__in=village_ids)
    self_government = [t.value for t in SELF_GOVERNMENT_TITLES]
    party_posts = posts.exclude(title__in=[*self_government, PostTitle.GROUP_LEADER])
    director = posts.filter(title__in=[t.value for t in DIRECTOR_TITLES], org=OuterRef("org"), holder=OuterRef("holder"))
    on_villagers = posts.filter(title__in=self_government, org=OuterRef("org"), holder=OuterRef("holder"))
    n_villages = villages(Q(path__startswith=path)).count()
    one_shoulder = party_posts.filter(title=PostTitle.SECRETARY).filter(Exists(director)).values("org").distinct().count()
    party_people = party_posts.values("org", "holder").distinct().count()
    cross = party_posts.filter(Exists(on_villagers)).values("org", "holder").distinct().count()
    return {"villages": n_villages, "one_shoulder": one_shoulder, "one_shoulder_share": _share(one_shoulder, n_villages),
            "party_people": party_people, "cross": cross, "cross_share": _share(cross, party_people)}


def statistics(path, today):
    """The department's figures: 一肩挑 and 交叉任职 from the posts held now (post_statistics); age, education, women
    and new faces over the elected of the closed elections under `path`."""
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
        **post_statistics(path),
        "elections": agg["elections"], "elected": total, "women": agg["women"], "women_share": _share(agg["women"], total),
        "new": agg["new"], "new_share": _share(agg["new"], total), "college": agg["college"], "college_share": _share(agg["college"], total),
        "under40": agg["under40"], "over55": agg["over55"], "middle": total - agg["under40"] - agg["over55"],
    }


def stage_counts(path):
    rows = dict(Election.objects.filter(org_path__startswith=path).values_list("stage").annotate(n=Count("id")).values_list("stage", "n"))
    return [(s.label, rows.get(s.value, 0)) for s in Stage]


def with_reserves(qs):
    """Annotate village organizations with `reserves`: the people in the pool now, in one subquery."""
    from django.db.models import IntegerField, Subquery
    from django.db.models.functions import Coalesce

    # Grouped by left_on, which is NULL on every row kept: one group, its count.
    sub = (Reserve.objects.filter(org_path__startswith=OuterRef("path"), left_on__isnull=True).order_by()
           .values("left_on").annotate(c=Count("id")).values("c")[:1])
    return qs.annotate(reserves=Coalesce(Subquery(sub, output_field=IntegerField()), 0))


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


def training_below(path, year):
    """Secretaries and reserves in the pool under `path` with fewer hours than the minimum in `year`."""
    minimum = Decimal(rules.training_hours_min())
    hours = {(r["member_id"], r["reserve_id"]): r["hours"] for r in training_hours(path, year)}
    rows = []
    for post in secretaries(path):
        h = hours.get((post.holder_id, None), Decimal(0))
        if h < minimum:
            rows.append({"name": post.holder.name, "org": post.org.name, "kind": "书记", "hours": h})
    for r in Reserve.objects.filter(org_path__startswith=path, left_on__isnull=True).select_related("org"):
        h = hours.get((None, r.pk), Decimal(0))
        if h < minimum:
            rows.append({"name": r.name, "org": r.org.name, "kind": "后备人才", "hours": h})
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
    posts = list(secretaries(path).filter(started_on__lte=cutoff))
    last = (today.year - 2, today.year - 1)
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
