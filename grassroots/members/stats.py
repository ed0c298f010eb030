"""Member counts for any subtree: from the kept roll-up `members.figures` for the city, the districts and the
townships (grassroots/orgs/summaries.py, brought up to date before it is read), counted live in SQL below them."""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from grassroots.orgs import summaries
from grassroots.orgs.choices import Category

from .choices import HAN, Gender, Status
from .models import Member
from .rules import YOUNG_MAX_AGE

COUNT_LABELS = {
    "total": "党员总数",
    "probationary": "预备党员",
    "full": "正式党员",
    "female": "女党员",
    "minority": "少数民族",
    "under_35": f"{YOUNG_MAX_AGE}岁以下",
}

AGE_BANDS = [(None, 35, "35岁以下"), (35, 46, "35-45岁"), (46, 56, "46-55岁"), (56, 66, "56-65岁"), (66, None, "66岁及以上")]


def years_ago(today, years):
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _count_aggregates(today=None):
    today = today or timezone.localdate()
    young_cutoff = years_ago(today, YOUNG_MAX_AGE)
    return {
        "total": Count("id"),
        "probationary": Count("id", filter=Q(status=Status.PROBATIONARY)),
        "full": Count("id", filter=Q(status=Status.FULL)),
        "female": Count("id", filter=Q(gender=Gender.FEMALE)),
        "minority": Count("id", filter=~Q(ethnicity=HAN)),
        "under_35": Count("id", filter=Q(birth_date__gt=young_cutoff)),
    }


def labelled(counts):
    """[(key, Chinese label, value)] in display order."""
    return [(key, label, counts.get(key, 0)) for key, label in COUNT_LABELS.items()]


def empty_counts():
    return dict.fromkeys(COUNT_LABELS, 0)


FIGURES = "members.figures"  # the kept roll-up (grassroots/members/rollups.py)


def counts_from_figures(flat):
    """The six counts of COUNT_LABELS from the roll-up's flat figures."""
    total = flat.get("n", 0)
    return {
        "total": total,
        "probationary": flat.get(f"m:status:{Status.PROBATIONARY}", 0),
        "full": flat.get(f"m:status:{Status.FULL}", 0),
        "female": flat.get(f"m:gender:{Gender.FEMALE}", 0),
        "minority": total - flat.get(f"m:ethnicity:{HAN}", 0),
        "under_35": flat.get("r:age0", 0),  # AGE_BANDS[0]: younger than YOUNG_MAX_AGE
    }


def subtree_counts(path, today=None):
    """Counts over the organization at `path` and everything below it (kept figures for the top of the tree: one
    query; one grouped count below)."""
    return counts_from_figures(summaries.figures(FIGURES, path, today))


def counts_by_prefix(paths, today=None):
    """{path: counts} for several sibling subtrees of the same depth: the kept figures at the top of the tree, one
    query over their records below."""
    paths = list(paths)
    if not paths:
        return {}
    if len(paths[0]) <= summaries.SUMMARY_DEPTH * summaries.STEP and (today is None or today == timezone.localdate()):
        return {p: counts_from_figures(v) for p, v in summaries.figures_of(FIGURES, paths, today).items()}
    length = len(paths[0])
    rows = (
        Member.objects.in_register()
        .filter(org_path__startswith=paths[0][: length - 4] if length > 4 else "")
        .annotate(prefix=Substr("org_path", 1, length))
        .filter(prefix__in=paths)
        .values("prefix")
        .annotate(**_count_aggregates(today))
    )
    result = {p: empty_counts() for p in paths}
    for row in rows:
        prefix = row.pop("prefix")
        result[prefix] = row
    return result


def by_category(path, flat=None):
    """Members by the category of the unit their organization sits in: [(label, count)], most first."""
    flat = summaries.figures(FIGURES, path) if flat is None else flat
    labels = dict(Category.choices)
    counts = [(key[2:], n) for key, n in flat.items() if key.startswith("c:") and n]
    return [(labels.get(code, code), n) for code, n in sorted(counts, key=lambda kv: (-kv[1], kv[0]))]


def by_age_band(path, today=None, flat=None):
    flat = summaries.figures(FIGURES, path, today) if flat is None else flat
    return [(label, flat.get(f"r:age{i}", 0)) for i, (_l, _h, label) in enumerate(AGE_BANDS)]


def orgs_by_kind(path, flat=None):
    """{kind: number of active organizations} of the subtree."""
    flat = summaries.figures(FIGURES, path) if flat is None else flat
    return {key[2:]: n for key, n in flat.items() if key.startswith("k:") and n}


def age(birth_date, today=None):
    today = today or datetime.date.today()
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
