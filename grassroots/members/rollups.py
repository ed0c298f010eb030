"""The member figures kept for the city, the districts and the townships (grassroots/orgs/summaries.py).

`members.figures`: everything the home page, the tree and the statistics page count, as one flat dict of integers
per subtree:

- `m:<field>:<value>`: members on the register by each coded field (statistics.CODED), `n` their total;
- `r:age<i>`, `r:period<i>`: by age band (members.stats.AGE_BANDS) and period of joining (statistics.JOINING_PERIODS);
- `left`: members who left the Party (shown beside the statistics, not in them);
- `c:<category>`: members on the register by the category of their organization's unit;
- `k:<kind>`: active organizations by kind.

Three grouped queries over a township's subtree; a district's and the city's figures are sums of those.
"""

from collections import Counter

from django.db.models import Count
from django.db.models.functions import Substr

from grassroots.core.registry import app_modules
from grassroots.orgs.models import Organization
from grassroots.orgs.summaries import Rollup

from . import quality, statistics
from .choices import OFF_REGISTER, State
from .models import Member

NAME = statistics.FIGURES


def _in(qs, field, path, direct):
    return qs.filter(**{field: path} if direct else {f"{field}__startswith": path})


def flatten(groups):
    """The flat figures of the statistics cube's groups (statistics.cube: the six coded fields and the ranges)."""
    flat = Counter()
    for group in groups:
        n = group["n"]
        if group["state"] == State.LEFT:
            flat["left"] += n
            continue
        if group["state"] == State.TRANSFERRED_OUT:  # managed elsewhere now: not counted here
            continue
        flat["n"] += n
        for field in statistics.CODED:
            flat[f"m:{field}:{group[field] or ''}"] += n
        for key, value in group.items():
            if key.startswith(("age", "period")):
                flat[f"r:{key}"] += value
    return flat


def figures_by_prefix(path, today, key="", direct=False):
    length = len(path) + Organization.steplen
    by_prefix = {}

    groups = {}
    # every record, those who left too (counted beside the statistics' tables)
    cube = _in(Member.objects.order_by(), "org_path", path, direct).annotate(prefix=Substr("org_path", 1, length))
    for group in cube.values("prefix", *statistics.CODED).annotate(**statistics.cube_aggregates(today)):
        groups.setdefault(group.pop("prefix"), []).append(group)
    for prefix, rows in groups.items():
        by_prefix[prefix] = flatten(rows)

    categories = (
        _in(Member.objects.exclude(state__in=OFF_REGISTER), "org_path", path, direct).order_by()
        .annotate(prefix=Substr("org_path", 1, length)).values("prefix", "org__category").annotate(n=Count("id"))
    )
    for row in categories:
        by_prefix.setdefault(row["prefix"], Counter())[f"c:{row['org__category']}"] += row["n"]

    kinds = (
        _in(Organization.objects.filter(is_active=True), "path", path, direct).order_by()
        .annotate(prefix=Substr("path", 1, length)).values("prefix", "kind").annotate(n=Count("id"))
    )
    for row in kinds:
        by_prefix.setdefault(row["prefix"], Counter())[f"k:{row['kind']}"] += row["n"]
    return {prefix: dict(values) for prefix, values in by_prefix.items()}


def _quality_sources():
    """Members, and what the apps that add kinds to the audit name in their quality_checks.py (`sources()`:
    meetings, attendance and posts for organizational life's kinds)."""
    extra = [source for _, module in app_modules("quality_checks") if hasattr(module, "sources") for source in module.sources()]
    return ((Member, Member.recount_paths), *extra)


ROLLUPS = [
    Rollup(NAME, "党员和党组织数量、党员队伍结构", by_prefix=figures_by_prefix, sources=((Member, Member.recount_paths),)),
    Rollup(quality.QUALITY, "党员信息排查", by_prefix=quality.counts_by_prefix, sources=_quality_sources()),
]
