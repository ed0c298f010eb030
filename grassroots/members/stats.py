"""Member counts for any subtree, always computed in SQL from the live records."""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

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


def subtree_counts(path, today=None):
    """Counts over the organization at `path` and everything below it (one query)."""
    return Member.objects.in_register().within_path(path).aggregate(**_count_aggregates(today))


def counts_by_prefix(paths, today=None):
    """{path: counts} for several sibling subtrees of the same depth, in one query."""
    paths = list(paths)
    if not paths:
        return {}
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


def by_category(path):
    """Members by the category of the unit their organization sits in: [(label, count)]."""
    rows = (
        Member.objects.in_register().within_path(path).values("org__category").annotate(n=Count("id")).order_by("-n")
    )
    labels = dict(Category.choices)
    return [(labels.get(r["org__category"], r["org__category"]), r["n"]) for r in rows]


def by_age_band(path, today=None):
    today = today or timezone.localdate()
    aggregates = {}
    for i, (low, high, _label) in enumerate(AGE_BANDS):
        q = Q()
        if low is not None:  # at least `low` years old: born on or before today minus low years
            q &= Q(birth_date__lte=years_ago(today, low))
        if high is not None:  # younger than `high`
            q &= Q(birth_date__gt=years_ago(today, high))
        aggregates[f"band{i}"] = Count("id", filter=q)
    row = Member.objects.in_register().within_path(path).aggregate(**aggregates)
    return [(label, row[f"band{i}"]) for i, (_l, _h, label) in enumerate(AGE_BANDS)]


def age(birth_date, today=None):
    today = today or datetime.date.today()
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
