from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    ORG_DEPT = "org_dept", "组织部"
    SECRETARY = "secretary", "党组织书记/组织员"
    SUPERVISOR = "supervisor", "督导组"
    MEMBER = "member", "党员"
    # A member of a village (or community) affairs supervisory committee: reads the matters and disclosures
    # of the village it is held on and attaches opinions and objections (grassroots/decisions).
    VILLAGE_MONITOR = "village_monitor", "村务监督委员会成员"


# Roles that may create, change, move and dissolve inside their subtree.
MANAGING_ROLES = frozenset({Role.ADMIN, Role.ORG_DEPT, Role.SECRETARY})
# Roles that may read every record inside their subtree.
READING_ROLES = frozenset({Role.ADMIN, Role.ORG_DEPT, Role.SECRETARY, Role.SUPERVISOR})
# Roles that may grant roles inside their subtree (never a role above their own).
GRANTING_ROLES = frozenset({Role.ADMIN, Role.ORG_DEPT})
# Roles that may read the audit log of their subtree.
AUDIT_ROLES = frozenset({Role.ADMIN, Role.ORG_DEPT})
