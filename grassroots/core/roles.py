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
    # Roles of the notice's parts 1-4, 7, 9 (added once here so the part apps can be built side by side).
    # A first secretary or work-team member, held on the village or community they are stationed in: reads that
    # village's records and keeps their own attendance and work log (grassroots/assistance).
    STATIONED = "stationed", "第一书记/驻村工作队员"
    # The contact of an assisting unit, held on the unit's own organization: sees and reports on that unit's
    # pairings and task books (grassroots/assistance, grassroots/rectification).
    ASSISTING_CONTACT = "assisting_contact", "帮扶单位联络人"
    # Keeps a community's in-service member registrations, service posts and service log (grassroots/volunteering).
    COMMUNITY_DESK = "community_desk", "社区报到管理员"
    # Discipline inspection: the only role that reads misconduct leads, inside its subtree (grassroots/discipline).
    DISCIPLINE = "discipline", "纪检"
    # An appraisal representative: casts ballots in the rounds held where the role is held; reads nothing else.
    REPRESENTATIVE = "representative", "评议代表"


# Roles that may create, change, move and dissolve inside their subtree.
MANAGING_ROLES = frozenset({Role.ADMIN, Role.ORG_DEPT, Role.SECRETARY})
# Roles that may read every record inside their subtree (a stationed first secretary works in the village like
# its own cadres, so reads its records too; changing them still needs the secretary role).
READING_ROLES = frozenset({Role.ADMIN, Role.ORG_DEPT, Role.SECRETARY, Role.SUPERVISOR, Role.STATIONED})
# The roles added for the new parts; organization departments may grant them.
NEW_PART_ROLES = (Role.STATIONED, Role.ASSISTING_CONTACT, Role.COMMUNITY_DESK, Role.DISCIPLINE, Role.REPRESENTATIVE)
# Roles that may grant roles inside their subtree (never a role above their own).
GRANTING_ROLES = frozenset({Role.ADMIN, Role.ORG_DEPT})
# Roles that may read the audit log of their subtree.
AUDIT_ROLES = frozenset({Role.ADMIN, Role.ORG_DEPT})
