"""Writing the audit trail. Services call `record()` inside their transaction."""

import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from . import context
from .models import AuditLog

Action = AuditLog.Action


def _jsonable(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj, fields):
    """The named fields of `obj` as a JSON-ready dict (foreign keys as their ids)."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        data[name] = _jsonable(value)
    return data


def record(action, obj=None, *, before=None, after=None, org_path="", note="", actor=None, object_repr=None):
    actor = actor if actor is not None else context.current_user()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = AuditLog(
        actor=actor,
        actor_name=actor.get_username() if actor else "",
        action=action,
        org_path=org_path or "",
        request_id=context.current_request_id(),
        client_ip=context.current_client_ip(),
        before=before,
        after=after,
        note=note[:500],
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
        entry.object_repr = (object_repr if object_repr is not None else str(obj))[:255]
    elif object_repr:
        entry.object_repr = object_repr[:255]
    entry.save()
    return entry
