"""What organizational life adds to the members' data-quality audit (grassroots/members/quality.py reads this module
through the app registry): members with no attendance on record, and the branch-committee gaps of their branch."""

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Left, Length
from django.db.models.lookups import In

from grassroots.members.problems import Problem
from grassroots.orgs.models import Organization

from . import rules

SEVEN = rules.COMMITTEE_FULL_MEMBERS


def no_orglife(today):
    """No attendance as present at any recorded or confirmed meeting (grassroots.orglife)."""
    from .choices import HELD_STATES, AttendanceStatus
    from .models import Attendance

    attended = Attendance.objects.filter(member=OuterRef("pk"), status=AttendanceStatus.PRESENT, meeting__state__in=HELD_STATES)
    return ~Exists(attended)


def committee_structure(today):
    """Placeholder condition of the two branch-structure kinds: they need the subtree, so `conditions` fills them."""
    return Q(pk__in=[])


def subtree_conditions(org, today):
    """The branch-structure kinds (支部工作条例 art. 8, through orglife.compliance.committee_gaps, the compliance
    matrix's own rule): members of a branch of 7 or more full members that has no branch committee, and members of
    a branch of fewer full members that has committee-only posts, with their Party groups. Counted apart from the
    total: the record to fix is the branch's, not the member's. Three queries."""
    from . import compliance

    gaps = compliance.committee_gaps(org.path, today)
    result = {}
    for key, gap in STRUCTURE_KINDS.items():
        paths = [g.org.path for g in gaps if g.gap == gap]
        if not paths:
            result[key] = Q(pk__in=[])
            continue
        # a member sits in the branch itself or in one of its Party groups (a group sits only under a branch)
        parent = Left("org_path", Length("org_path") - Organization.steplen)
        result[key] = Q(org_path__in=paths) | Q(In(parent, paths))
    return result


STRUCTURE_KINDS = {"branch_without_committee": rules.COMMITTEE_MISSING, "committee_not_needed": rules.COMMITTEE_NOT_NEEDED}



PROBLEMS = [
    # Structural gaps of the member's branch (支部工作条例 art. 8), counted apart from the total like no_orglife.
    Problem("branch_without_committee", f"所在党支部正式党员{SEVEN}人以上，应设支部委员会而未设", "应设支委未设",
            f"正式党员{SEVEN}人以上的党支部应当设立支部委员会（3至5人）：召开党员大会选举支委会，并在“组织架构”中登记委员职务",
            committee_structure, in_total=False, per_branch=True),
    Problem("committee_not_needed", f"所在党支部正式党员不足{SEVEN}人，却设有支委委员职务", "不应设支委",
            f"正式党员不足{SEVEN}人的党支部设书记1名，必要时设副书记1名：核实党员人数，或结束多余的委员职务",
            committee_structure, in_total=False, per_branch=True),
    # Counted apart from the total: until a branch enters its meetings every member shows here, which
    # says "enter your meetings" rather than "fix these records".
    Problem("no_orglife", "尚无参加组织生活的记录", "无组织生活记录",
            "在“三会一课”中记录会议和出席情况；长期不参加的见“连续6个月未参加组织生活”", no_orglife, in_total=False),
]


def sources():
    """What the kept audit counts (the roll-up members.quality, grassroots/orgs/summaries.py) must be recounted
    after: a meeting held or its attendance changed, a post appointed or ended."""
    from grassroots.orgs.models import Post

    from .models import Attendance, Meeting

    return (
        (Meeting, lambda meeting: [meeting.org_path]),
        (Attendance, lambda attendance: [attendance.meeting.org_path]),
        (Post, lambda post: [post.org.path]),
    )
