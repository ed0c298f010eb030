"""Summary figures (汇总表) kept for the top of the tree, so that a city-wide page does not aggregate a quarter of a
million rows on every request.

A roll-up is a set of additive numbers (counts, sums in fen) about the records of an organization's subtree. Each
app declares its own in `rollups.py`:

    ROLLUPS = [Rollup("members.figures", "党员和党组织数量", by_prefix=figures_by_prefix, sources=SOURCES)]

- `by_prefix(path, today, key, direct=False)` counts from the live records: {prefix: {name: int}} for the subtree
  of `path`, one entry for `path` itself (records attached to it) and one per direct child (prefix = the child's
  path); with `direct` only the records attached to `path` itself. `key` is a free parameter (the year of the dues).
- `sources`: (model, function(instance) -> paths) pairs. Saving or deleting such a row marks the figures of every
  summarized ancestor of those paths stale, in the same transaction (one UPDATE). Writes that bypass model signals
  (bulk_create, QuerySet.update, raw SQL) call `touch(paths)` themselves.

What is kept: one `SubtreeFigure` row per roll-up, key and organization of depth <= SUMMARY_DEPTH (the city, the
districts and the townships/streets: 141 organizations in the city dataset). A township's row is counted from the
live records of its subtree; a district's and the city's are the sum of their children's rows plus the records
attached to themselves. Below the townships every figure is counted live: a subtree there holds a few thousand
records at most.

When it is brought up to date:
- by the reader: `figures()` and `breakdown()` recompute stale or missing rows first (only those: a change in one
  township recomputes that township and re-adds its district and the city), so a page never shows an old figure;
- by the worker: the job `orgs.refresh_rollups` does the same every minute for every stale row and every row
  counted for another day (figures that depend on the date, like ages, carry the day they were counted for), so
  that readers rarely pay for it; `orgs.rebuild_rollups` recounts everything at 03:30.
"""

import dataclasses
import functools

from django.db import models
from django.db.models.functions import Length
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from grassroots.core.registry import named_contributions

from .models import Organization, SubtreeFigure

SUMMARY_DEPTH = 3  # the city (1), the districts (2), the townships and streets (3)
STEP = Organization.steplen


@dataclasses.dataclass(frozen=True)
class Rollup:
    name: str  # unique, "<app>.<what>"
    label: str  # what it counts, in Chinese
    by_prefix: object  # function(path, today, key, direct=False) -> {prefix: {name: int}}
    sources: tuple = ()  # ((model, function(instance) -> iterable of paths), ...)
    # optional function(path, today, key, direct) called after a kept row is recounted: an app that keeps a list
    # beside its figures (talks' worklist, member by member) rebuilds the part of `path` with them
    keep: object = None


@functools.cache
def all_rollups():
    """Every app's roll-ups by name (read once: the apps do not change while the process runs)."""
    return named_contributions("rollups", "ROLLUPS", "roll-up")


def get_rollup(name):
    return all_rollups()[name]


def summed(values_list):
    total = {}
    for values in values_list:
        for k, v in values.items():
            total[k] = total.get(k, 0) + v
    return total


def own_path(row):
    """The source function of a row that carries its organization's path (`org_path`)."""
    return [row.org_path]


def summarized_prefixes(path):
    """The paths of the summarized organizations at or above `path` (at most SUMMARY_DEPTH of them)."""
    return [path[:i] for i in range(STEP, min(len(path), SUMMARY_DEPTH * STEP) + 1, STEP)]


def depth_of(path):
    return len(path) // STEP


# ---------------------------------------------------------------------------------------
# Marking stale
# ---------------------------------------------------------------------------------------


def touch(paths, names=None):
    """Mark the kept figures of every summarized ancestor of `paths` stale (all roll-ups, or those `names`)."""
    prefixes = {p for path in paths if path for p in summarized_prefixes(path)}
    if not prefixes:
        return 0
    rows = SubtreeFigure.objects.filter(org_path__in=prefixes, stale=False)
    if names is not None:
        rows = rows.filter(name__in=list(names))
    return rows.update(stale=True)


def touch_all(names=None):
    """Everything stale (after a bulk load, or a move of a subtree: orgs/paths.py)."""
    rows = SubtreeFigure.objects.filter(stale=False)
    if names is not None:
        rows = rows.filter(name__in=list(names))
    return rows.update(stale=True)


def _receiver(sources):
    """One receiver per model: [(roll-up name or None for all, paths_of)] -> one UPDATE per distinct set of paths
    (usually one, however many roll-ups count the model)."""

    def mark(sender, instance, **kwargs):
        names_by_paths = {}
        for name, paths_of in sources:
            paths = frozenset(p for p in paths_of(instance) if p)
            names_by_paths.setdefault(paths, set()).add(name)
        for paths, names in names_by_paths.items():
            touch(paths, names=None if None in names else names)

    return mark


def connect_sources():
    """Connect every roll-up's sources to post_save and post_delete (OrgsConfig.ready). A change of the tree itself
    (an organization added, dissolved, renamed) marks every roll-up of its ancestors."""
    by_model = {Organization: [(None, lambda org: [org.path])]}
    for rollup in all_rollups().values():
        for model, paths_of in rollup.sources:
            by_model.setdefault(model, []).append((rollup.name, paths_of))
    for model, sources in by_model.items():
        receiver = _receiver(sources)
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"summaries:{model._meta.label}:save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"summaries:{model._meta.label}:delete")


# ---------------------------------------------------------------------------------------
# Reading (and bringing up to date)
# ---------------------------------------------------------------------------------------


def _is_fresh(row, today):
    return row is not None and not row.stale and row.as_of == today


def _refresh_subtree(rollup, path, today, key):
    """Recompute the stale or missing kept rows at and below `path`, deepest first; {path: row} of all of them."""
    summarized = list(
        Organization.objects.filter(path__startswith=path, depth__lte=SUMMARY_DEPTH).order_by().values_list("path", flat=True)
    )
    rows = {r.org_path: r for r in SubtreeFigure.objects.filter(name=rollup.name, key=key, org_path__in=summarized)}
    now = timezone.now()
    changed = []
    for org_path in sorted(summarized, key=len, reverse=True):
        row = rows.get(org_path)
        if _is_fresh(row, today):
            continue
        if depth_of(org_path) == SUMMARY_DEPTH:
            by_prefix = rollup.by_prefix(org_path, today, key)
            direct, fresh = by_prefix.get(org_path, {}), summed(by_prefix.values())
        else:
            direct = rollup.by_prefix(org_path, today, key, direct=True).get(org_path, {})
            children = [r.values for p, r in rows.items() if len(p) == len(org_path) + STEP and p.startswith(org_path)]
            fresh = summed([direct, *children])
        if row is None:
            row = rows[org_path] = SubtreeFigure(name=rollup.name, key=key, org_path=org_path)
        row.values, row.direct, row.as_of, row.stale, row.computed_at = fresh, direct, today, False, now
        changed.append(row)
        if rollup.keep is not None:  # a township's whole subtree, or what is attached to a committee above it
            rollup.keep(org_path, today, key, direct=depth_of(org_path) < SUMMARY_DEPTH)
    _save(changed)
    return rows


def _save(rows):
    """Write recomputed rows (two queries at most); a row another process inserted meanwhile is left to it: its
    numbers are as new."""
    existing = [r for r in rows if r.pk]
    if existing:
        SubtreeFigure.objects.bulk_update(existing, ["values", "direct", "as_of", "stale", "computed_at"])
    new = [r for r in rows if not r.pk]
    if new:
        SubtreeFigure.objects.bulk_create(new, ignore_conflicts=True)


def figures(name, path, today=None, key=""):
    """{name: int} of the roll-up `name` over the subtree of `path`: one query when the kept row is fresh; counted
    live below the townships."""
    rollup = get_rollup(name)
    today = today or timezone.localdate()
    if depth_of(path) > SUMMARY_DEPTH or today != timezone.localdate():  # kept rows are for today only
        return summed(rollup.by_prefix(path, today, key).values())
    row = SubtreeFigure.objects.filter(name=name, key=key, org_path=path).first()
    if _is_fresh(row, today):
        return row.values
    return _refresh_subtree(rollup, path, today, key)[path].values


def figures_of(name, paths, today=None, key=""):
    """{path: figures} for several organizations (tree nodes): one query when all are kept and fresh."""
    today = today or timezone.localdate()
    paths = list(paths)
    kept = [p for p in paths if depth_of(p) <= SUMMARY_DEPTH] if today == timezone.localdate() else []
    rows = {r.org_path: r for r in SubtreeFigure.objects.filter(name=name, key=key, org_path__in=kept)} if kept else {}
    result = {}
    for path in paths:
        row = rows.get(path)
        result[path] = row.values if _is_fresh(row, today) else figures(name, path, today, key)
    return result


def breakdown(name, path, today=None, key=""):
    """(total, {prefix: values}) of the roll-up over `path`: the records attached to `path` itself under `path`, and
    each direct child's subtree under the child's path. Above the townships from the kept rows (one query when
    they are fresh); at a township and below from the live records."""
    rollup = get_rollup(name)
    today = today or timezone.localdate()
    if depth_of(path) >= SUMMARY_DEPTH or today != timezone.localdate():
        by_prefix = rollup.by_prefix(path, today, key)
        return summed(by_prefix.values()), by_prefix
    rows = list(
        SubtreeFigure.objects.filter(name=name, key=key, org_path__startswith=path)
        .annotate(path_length=Length("org_path")).filter(path_length__lte=len(path) + STEP)
    )
    if any(r.org_path == path for r in rows) and all(_is_fresh(r, today) for r in rows):
        kept = {r.org_path: r for r in rows}
    else:
        kept = _refresh_subtree(rollup, path, today, key)
    children = {p: r.values for p, r in kept.items() if len(p) == len(path) + STEP}
    return kept[path].values, {path: kept[path].direct, **children}


def refresh(names=None, *, everything=False, today=None):
    """Bring the kept rows up to date (the worker's job): those marked stale, or with `everything` all of them for
    today. Returns {roll-up name: rows recomputed}."""
    today = today or timezone.localdate()
    done = {}
    for name, rollup in all_rollups().items():
        if names is not None and name not in names:
            continue
        if everything:
            touch_all(names=[name])
        outdated = SubtreeFigure.objects.filter(name=name).filter(models.Q(stale=True) | ~models.Q(as_of=today))
        done[name] = outdated.count()
        for key in sorted(set(outdated.values_list("key", flat=True))):
            for root in Organization.objects.filter(depth=1).values_list("path", flat=True):
                _refresh_subtree(rollup, root, today, key)
    return done
