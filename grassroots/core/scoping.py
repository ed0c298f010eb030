"""Who may see and change what: every role is held on an organization and covers its subtree.

Paths are treebeard materialized paths, so "inside the subtree of X" is `path.startswith(X.path)`,
one indexed prefix range in SQL. Every `visible_to(user)` queryset method is built from here.
"""

from django.db.models import Q

from .choices import AUDIT_ROLES, GRANTING_ROLES, MANAGING_ROLES, READING_ROLES, Role

ALL = ""  # the empty prefix: every path starts with it


def active_roles(user):
    """The user's active role assignments, loaded once per user object (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_active_roles", None)
    if cached is None:
        from .models import RoleAssignment

        cached = list(RoleAssignment.objects.active().filter(user=user).select_related("org").order_by("org__path"))
        user._active_roles = cached
    return cached


def forget_roles(user):
    user.__dict__.pop("_active_roles", None)


def is_system_admin(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or any(a.role == Role.ADMIN for a in active_roles(user))


def minimal_prefixes(paths):
    """Drop every path already covered by a shorter one."""
    kept = []
    for p in sorted(set(paths), key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return sorted(kept)


def _paths(user, roles):
    if is_system_admin(user):
        return [ALL]
    return minimal_prefixes(a.org.path for a in active_roles(user) if a.role in roles)


def read_paths(user):
    """Subtrees whose organizations the user may read (a member reads their own branch)."""
    return _paths(user, READING_ROLES | {Role.MEMBER})


def record_paths(user):
    """Subtrees whose records (members and the like) the user may read in full."""
    return _paths(user, READING_ROLES)


def manage_paths(user):
    return _paths(user, MANAGING_ROLES)


def grant_paths(user):
    return _paths(user, GRANTING_ROLES)


def monitor_paths(user):
    """Villages whose matters and disclosures the user oversees as a supervisory committee member."""
    return _paths(user, {Role.VILLAGE_MONITOR})


def audit_paths(user):
    return _paths(user, AUDIT_ROLES | {Role.SECRETARY})


def path_q(field, paths):
    """A Q object matching rows whose `field` lies in any of the subtrees."""
    if ALL in paths:
        return Q()
    if not paths:
        return Q(**{f"{field}__in": []})
    q = Q()
    for p in paths:
        q |= Q(**{f"{field}__startswith": p})
    return q


def records_or_own_q(user, path_field="org_path", own_field="member__user"):
    """Rows inside the subtrees whose records the user reads in full, or the user's own (a member reads their own
    record, dues and points through `own_field`)."""
    paths = record_paths(user)
    if ALL in paths:
        return Q()
    q = path_q(path_field, paths)
    if getattr(user, "is_authenticated", False):
        q |= Q(**{own_field: user})
    return q


def covers(paths, path):
    return any(path.startswith(p) for p in paths)


def can_read_org(user, org):
    return covers(read_paths(user), org.path)


def can_manage_org(user, org):
    return covers(manage_paths(user), org.path)


def can_grant_on(user, org):
    return covers(grant_paths(user), org.path)


def can_audit_org(user, org):
    return covers(audit_paths(user), org.path)


def grantable_roles(user):
    """Roles a user may hand out: never one above their own."""
    if is_system_admin(user):
        return list(Role)
    if grant_paths(user):
        return [Role.ORG_DEPT, Role.SECRETARY, Role.SUPERVISOR, Role.MEMBER]
    return []


SCOPE_SESSION_KEY = "scope_role_id"


def current_scope(request):
    """The role assignment the user chose to work in (top bar), or their first one."""
    roles = active_roles(request.user)
    if not roles:
        return None
    chosen = request.session.get(SCOPE_SESSION_KEY)
    for a in roles:
        if a.pk == chosen:
            return a
    return roles[0]
