"""Who may see and change what: every role is held on an organization and covers its subtree.

Paths are treebeard materialized paths, so "inside the subtree of X" is `path.startswith(X.path)`,
one indexed prefix range in SQL. Every `visible_to(user)` queryset method is built from here.
"""

from django.db.models import Q

from .roles import AUDIT_ROLES, GRANTING_ROLES, MANAGING_ROLES, NEW_PART_ROLES, READING_ROLES, Role

ALL = ""  # the empty prefix: every path starts with it


def active_roles(user):
    """The user's active role assignments, loaded once per user object (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_active_roles", None)
    if cached is None:
        # Through the user's reverse relation (accounts.RoleAssignment, related_name "role_assignments"), so core
        # needs no import of the accounts app that sits above it.
        cached = list(user.role_assignments.filter(revoked_at__isnull=True).select_related("org").order_by("org__path"))
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


def stationed_paths(user):
    """Villages (or communities) where the user is stationed as first secretary or work-team member."""
    return _paths(user, {Role.STATIONED})


def assisting_paths(user):
    """Units the user speaks for as the assisting unit's contact (帮扶单位联络人): the pairings of these units."""
    return _paths(user, {Role.ASSISTING_CONTACT})


def community_desk_paths(user):
    """Communities whose in-service member registrations, posts and service logs the user keeps (双报到)."""
    return _paths(user, {Role.COMMUNITY_DESK})


def discipline_paths(user):
    """Subtrees whose misconduct leads the user may read. Only the discipline role reads leads: not the
    organization department, and not a system administrator either (a lead can name its reporter)."""
    return minimal_prefixes(a.org.path for a in active_roles(user) if a.role == Role.DISCIPLINE)


def representative_paths(user):
    """Where the user is an appraisal representative: they vote in rounds held there and read nothing else."""
    return _paths(user, {Role.REPRESENTATIVE})


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
    if not getattr(user, "is_authenticated", False):
        return q
    if own_field.endswith("__user"):
        # The member's own rows by the member's id, not through a join to the member table: an OR of two indexed
        # columns stays an index lookup, an OR with a joined column scans every row (2.8 million dues records).
        member_pk = own_member_pk(user)
        return q | Q(**{own_field.removesuffix("__user"): member_pk}) if member_pk is not None else q
    return q | Q(**{own_field: user})


def own_member_pk(user):
    """The id of the user's own member record, or None (one query per user object; the member model is reached
    through the reverse one-to-one relation members.Member.user declares, so core imports no app)."""
    if not hasattr(user, "_own_member_pk"):
        member_model = user._meta.get_field("member").related_model
        user._own_member_pk = member_model.objects.filter(user=user).values_list("pk", flat=True).first()
    return user._own_member_pk


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
        return [Role.ORG_DEPT, Role.SECRETARY, Role.SUPERVISOR, Role.MEMBER, *NEW_PART_ROLES]
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


# ---- what a menu entry (core/menu.py) or a page asks of the user: plain functions of the roles above ----------


def everyone(user):
    return bool(getattr(user, "is_authenticated", False))


def reads_records(user):
    return bool(record_paths(user))


def manages(user):
    return bool(manage_paths(user))


def has_own_member_record(user):
    """The user is linked to a member record (members.Member.user, reverse name "member")."""
    return everyone(user) and hasattr(user, "member")


def oversees_villages(user):
    """Reads village matters and disclosures: a records role or a supervisory committee member."""
    return bool(record_paths(user) or monitor_paths(user))


def grants_roles(user):
    return bool(grant_paths(user))


def reads_audit(user):
    return bool(audit_paths(user))


def is_staff_admin(user):
    return is_system_admin(user) and user.is_staff


def is_stationed(user):
    return bool(stationed_paths(user))


def is_assisting_contact(user):
    return bool(assisting_paths(user))


def keeps_community_desk(user):
    return bool(community_desk_paths(user))


def reads_leads(user):
    return bool(discipline_paths(user))


def is_representative(user):
    return bool(representative_paths(user))
