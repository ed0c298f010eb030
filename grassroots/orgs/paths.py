"""Denormalized organization paths: many tables keep the path of the organization a row belongs to (`org_path`,
`to_org_path`, `community_path` …) so that scoping is one prefix range. When a subtree moves, every such column of
every installed app follows in the same transaction. Found by field, not by import: a CharField whose name ends
in "path", on any model but the tree itself and the historical records (the audit log and notifications keep the
place a thing happened at the time)."""

from django.apps import apps
from django.db import models
from django.db.models.functions import Concat, Substr

from . import summaries

HISTORICAL_MODELS = {"core.AuditLog", "core.Notification"}
KEPT_FIGURES = "orgs.SubtreeFigure"  # recounted after a move instead (grassroots/orgs/summaries.py)


def path_columns():
    """(model, field name) for every denormalized organization path column."""
    found = []
    for model in apps.get_models():
        if model._meta.label in HISTORICAL_MODELS or model._meta.label in ("orgs.Organization", KEPT_FIGURES):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField) and field.name.endswith("path"):
                found.append((model, field.name))
    return found


def rewrite_paths(old_path, new_path):
    """Point every denormalized path inside `old_path`'s subtree at `new_path`; returns rows changed per column."""
    changed = {}
    for model, name in path_columns():
        n = model._base_manager.filter(**{f"{name}__startswith": old_path}).update(
            **{name: Concat(models.Value(new_path), Substr(name, len(old_path) + 1))}
        )
        if n:
            changed[f"{model._meta.label}.{name}"] = n
    summaries.touch_all()  # both the old and the new ancestors count differently now
    return changed
