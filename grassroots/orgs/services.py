"""Every change to the organization tree and its leadership posts goes through these functions."""

from django.db import transaction
from django.utils import timezone

from grassroots.core import audit, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.pinyin import initials

from . import paths, rules, signals
from .models import Organization, Post

ORG_FIELDS = [
    "name",
    "short_name",
    "code",
    "kind",
    "category",
    "established_on",
    "term_start",
    "term_end",
    "address",
    "contact_person",
    "contact_phone",
]
AUDITED_ORG_FIELDS = [*ORG_FIELDS, "is_active", "dissolved_on", "dissolved_reason"]
POST_FIELDS = ["org", "title", "holder", "started_on", "ended_on", "note"]


def _require_manage(actor, org):
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied("您没有管理该党组织的权限")


def _check_code_unique(code, exclude_pk=None):
    qs = Organization.objects.filter(code=code)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ValidationError({"code": "组织代码已被其他党组织使用"})


def _check_dates(data):
    message = rules.term_error(data.get("term_start"), data.get("term_end"))
    if message:
        raise ValidationError({"term_end": message})
    established = data.get("established_on")
    if established and established > timezone.localdate():
        raise ValidationError({"established_on": "成立日期不能晚于今天"})


def _apply(org, data):
    for field in ORG_FIELDS:
        if field in data:
            setattr(org, field, data[field])
    org.initials = initials(org.name)


@transaction.atomic
def create_organization(actor, parent, data):
    """Add an organization under `parent` (or as a new top-level one when parent is None)."""
    if parent is None:
        if not scoping.is_system_admin(actor):
            raise PermissionDenied("只有系统管理员可以新建顶层党组织")
        message = rules.root_kind_error(data["kind"])
    else:
        _require_manage(actor, parent)
        if not parent.is_active:
            raise ValidationError("已撤销的党组织下不能新建下级组织")
        message = rules.child_kind_error(parent.kind, data["kind"])
    if message:
        raise ValidationError({"kind": message})
    _check_code_unique(data["code"])
    _check_dates(data)
    org = Organization()
    _apply(org, data)
    if parent is None:
        org = Organization.objects.add_root(instance=org)
    else:
        parent = Organization.objects.get(pk=parent.pk)  # fresh numchild/path for treebeard
        org = Organization.objects.add_child(parent, instance=org)
    audit.record(audit.Action.CREATE, org, after=audit.snapshot(org, AUDITED_ORG_FIELDS), org_path=org.path, actor=actor)
    return org


@transaction.atomic
def update_organization(actor, org, data):
    _require_manage(actor, org)
    org = Organization.objects.select_for_update().get(pk=org.pk)
    before = audit.snapshot(org, AUDITED_ORG_FIELDS)
    if "code" in data:
        _check_code_unique(data["code"], exclude_pk=org.pk)
    new_kind = data.get("kind", org.kind)
    if new_kind != org.kind:
        parent = Organization.objects.get_parent(org)
        message = rules.child_kind_error(parent.kind, new_kind) if parent else rules.root_kind_error(new_kind)
        if not message:
            for child_kind in set(Organization.objects.get_children(org).values_list("kind", flat=True)):
                message = message or rules.child_kind_error(new_kind, child_kind)
        if message:
            raise ValidationError({"kind": message})
    _check_dates({f: data.get(f, getattr(org, f)) for f in ("term_start", "term_end", "established_on")})
    _apply(org, data)
    org.save()
    after = audit.snapshot(org, AUDITED_ORG_FIELDS)
    if after != before:
        audit.record(audit.Action.UPDATE, org, before=before, after=after, org_path=org.path, actor=actor)
    return org


@transaction.atomic
def move_organization(actor, org, new_parent):
    """Move `org` and its whole subtree under `new_parent`; every app's denormalized paths follow (orgs/paths.py)."""
    _require_manage(actor, org)
    _require_manage(actor, new_parent)
    org = Organization.objects.get(pk=org.pk)
    new_parent = Organization.objects.get(pk=new_parent.pk)
    message = rules.move_error(org.path, new_parent.path)
    if message:
        raise ValidationError({"parent": message})
    if org.parent_path == new_parent.path:
        raise ValidationError({"parent": "该党组织已经在所选上级组织之下"})
    if not new_parent.is_active:
        raise ValidationError({"parent": "不能移动到已撤销的党组织之下"})
    message = rules.child_kind_error(new_parent.kind, org.kind)
    if message:
        raise ValidationError({"parent": message})
    old_path = org.path
    old_parent = Organization.objects.filter(path=org.parent_path).first()
    Organization.objects.move(org, new_parent, pos="last-child")
    org = Organization.objects.get(pk=org.pk)
    paths.rewrite_paths(old_path, org.path)
    audit.record(
        audit.Action.MOVE,
        org,
        before={"parent": old_parent.name if old_parent else None, "path": old_path},
        after={"parent": new_parent.name, "path": org.path},
        org_path=org.path,
        actor=actor,
    )
    return org


@transaction.atomic
def dissolve_organization(actor, org, dissolved_on, reason):
    """Dissolve, never delete: the node and its history stay; current posts end that day. The apps above may
    refuse through the `dissolving` signal (members: nobody may remain in the register)."""
    _require_manage(actor, org)
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if not org.is_active:
        raise ValidationError("该党组织已经撤销")
    if dissolved_on > timezone.localdate():
        raise ValidationError({"dissolved_on": "撤销日期不能晚于今天"})
    if Organization.objects.get_children(org).filter(is_active=True).exists():
        raise ValidationError("请先撤销或移走下级党组织，再撤销本组织")
    signals.dissolving.send(sender=Organization, org=org)
    before = audit.snapshot(org, AUDITED_ORG_FIELDS)
    org.is_active = False
    org.dissolved_on = dissolved_on
    org.dissolved_reason = reason
    org.save()
    for post in org.posts.current():
        end_post(actor, post, max(dissolved_on, post.started_on))
    audit.record(
        audit.Action.DISSOLVE,
        org,
        before=before,
        after=audit.snapshot(org, AUDITED_ORG_FIELDS),
        org_path=org.path,
        note=reason,
        actor=actor,
    )
    return org


@transaction.atomic
def restore_organization(actor, org):
    _require_manage(actor, org)
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if org.is_active:
        raise ValidationError("该党组织没有撤销")
    parent = Organization.objects.get_parent(org)
    if parent and not parent.is_active:
        raise ValidationError("上级党组织已撤销，请先恢复上级组织")
    before = audit.snapshot(org, AUDITED_ORG_FIELDS)
    org.is_active, org.dissolved_on, org.dissolved_reason = True, None, ""
    org.save()
    audit.record(
        audit.Action.RESTORE, org, before=before, after=audit.snapshot(org, AUDITED_ORG_FIELDS), org_path=org.path, actor=actor
    )
    return org


@transaction.atomic
def appoint_post(actor, org, *, title, holder, started_on, note=""):
    _require_manage(actor, org)
    if not org.is_active:
        raise ValidationError("已撤销的党组织不能任命职务")
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": "任职日期不能晚于今天"})
    if not scoping.covers(scoping.record_paths(actor), holder.org_path):
        raise ValidationError({"holder": "所选党员不在您的管理范围内"})
    post = Post.objects.create(org=org, title=title, holder=holder, started_on=started_on, note=note)
    audit.record(audit.Action.CREATE, post, after=audit.snapshot(post, POST_FIELDS), org_path=org.path, actor=actor)
    return post


@transaction.atomic
def end_post(actor, post, ended_on):
    _require_manage(actor, post.org)
    if post.ended_on:
        raise ValidationError("该职务已经离任")
    if ended_on < post.started_on:
        raise ValidationError({"ended_on": "离任日期不能早于任职日期"})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "离任日期不能晚于今天"})
    before = audit.snapshot(post, POST_FIELDS)
    post.ended_on = ended_on
    post.save(update_fields=["ended_on"])
    audit.record(
        audit.Action.UPDATE, post, before=before, after=audit.snapshot(post, POST_FIELDS), org_path=post.org.path, actor=actor
    )
    return post
