"""组织关系梳理排查: the data-quality audit of member records, counted in SQL; for the city, the districts and the
townships the counts are kept as the roll-up `members.quality` (grassroots/orgs/summaries.py), brought up to date
from the live records before they are read.

Every problem kind is one function returning a Q over `Member`, so that

- all kinds are counted for a whole subtree *and* for each of its direct children in one grouped query
  (`Count(filter=Q)` per kind, grouped by the first `len(path) + 4` characters of `org_path`), and
- the worklist of one kind is the same Q applied to the subtree's members.

Only members still on the register are checked (a member who has left is history, not a task).

ID number consistency with the birth date and gender: the number is stored encrypted, and SQL can only
read its masked form (`3204**********1234`: the first four and the last four characters). Decrypting a
city's 250,000 numbers for every report would cost seconds and spread plaintext through memory, so the
full check (GB 11643 check character, birth date, gender) runs when a number is written:
`services.create_member` / `update_member` run `rules.check_member`, and imports and corrections go
through the same services. This report flags what the stored form shows without decrypting:
a number stored without its masked form, a masked form of the wrong shape (not 18 characters, not ten
stars in the middle, last character not a digit or X), and a 17th character (left visible by the mask)
that is not the gender digit of the recorded gender. A birth date disagreeing with a number written around
the services would need a decrypting batch job; that is left out.
"""

import dataclasses
import datetime

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, Length, Substr
from django.db.models.lookups import Exact, In, LessThan
from django.utils import timezone

from grassroots.core import scoping
from grassroots.core.registry import app_modules
from grassroots.orgs import summaries
from grassroots.orgs.models import Organization

from . import rules
from .choices import Gender, Status
from .models import Member
from .problems import Problem

PROBATION_MAX_YEARS = rules.PROBATION_MAX_YEARS

DIGITS = list("0123456789")
ODD_DIGITS, EVEN_DIGITS = list("13579"), list("02468")  # GB 11643: the 17th digit is odd for men, even for women
# The longest span of completed 18 years in days (18 × 365 + 5 leap days): a cheap first test before the exact one.
UNDER_AGE_MAX_DAYS = rules.MIN_JOINING_AGE * 365 + 5


def _date_key(field):
    """YYYYMMDD as a number: the difference of two keys, divided by 10,000, is a completed age in years."""
    return ExtractYear(field) * 10000 + ExtractMonth(field) * 100 + ExtractDay(field)


# ---------------------------------------------------------------------------------------
# The problem kinds: one function each, returning a Q over Member
# ---------------------------------------------------------------------------------------


def missing_id_number(today):
    return Q(id_number_encrypted="")


def invalid_id_number(today):
    """A stored number whose masked form is missing or malformed, or whose gender digit contradicts the gender.

    Plain string functions rather than a regular expression: about half the cost over a city's register."""
    masked = "id_number_masked"
    digit_17 = Substr(masked, 17, 1)
    return ~Q(id_number_encrypted="") & (
        Q(id_number_masked="")
        | ~Q(Exact(Length(masked), 18))
        | ~Q(Exact(Substr(masked, 5, 10), "*" * 10))
        | ~Q(In(Substr(masked, 18, 1), [*DIGITS, "X"]))
        | (Q(gender=Gender.MALE) & ~Q(In(digit_17, ODD_DIGITS)))
        | (Q(gender=Gender.FEMALE) & ~Q(In(digit_17, EVEN_DIGITS)))
    )


def missing_phone(today):
    return Q(phone_encrypted="")


def missing_education(today):
    return Q(education="")


def missing_occupation(today):
    return Q(occupation="")


def missing_native_place(today):
    return Q(native_place="")


def full_without_date(today):
    return Q(status=Status.FULL, full_on__isnull=True)


def probationary_with_date(today):
    return Q(status=Status.PROBATIONARY, full_on__isnull=False)


def probation_overdue(today):
    return Q(status=Status.PROBATIONARY, joined_on__lt=rules.add_years(today, -PROBATION_MAX_YEARS))


def joined_under_age(today):
    """Joined before the 18th birthday: the same completed-years arithmetic as rules.age_on, in SQL, after a
    cheap day-count test that rules out almost every record."""
    near = Q(joined_on__lt=F("birth_date") + datetime.timedelta(days=UNDER_AGE_MAX_DAYS + 1))
    return near & Q(LessThan(_date_key("joined_on") - _date_key("birth_date"), rules.MIN_JOINING_AGE * 10000))


def org_dissolved(today):
    return Q(org_id__in=Organization.objects.filter(is_active=False).values("pk"))


def duplicate_id_number(today):
    """Another member on the register, anywhere in the tree, has the same ID number (an index probe per row)."""
    others = Member.objects.in_register().filter(id_number_hash=OuterRef("id_number_hash")).exclude(pk=OuterRef("pk"))
    return ~Q(id_number_hash="") & Q(Exists(others))


def duplicated_id_hashes():
    """The lookup hashes held by more than one member on the register: one pass over the whole register."""
    return list(
        Member.objects.in_register().exclude(id_number_hash="").order_by()
        .values("id_number_hash").annotate(n=Count("id")).filter(n__gt=1).values_list("id_number_hash", flat=True)
    )


# Below this depth (a city committee is 1, a district 2) a subtree holds a few thousand members, and
# probing the hash index once per member finds duplicates fastest. For a city or a district, one pass
# over the register that lists the duplicated hashes first is faster (at 250,000 members on PostgreSQL:
# ~0.2 s, against ~1.4 s of probes, which the report would also pay twice: per kind and in the total).
DUPLICATE_SCAN_MAX_DEPTH = 2


def conditions(org, today, *, direct=False):
    """{problem key: Q} of the computed kinds, for the subtree of `org` (with `direct`: for the members attached to
    `org` itself; the branch-structure kinds then apply only when `org` is a branch, and duplicates are probed)."""
    result = {p.key: p.condition(today) for p in COMPUTED if not p.per_branch}
    if direct and not org.is_branch:  # a committee's own members: no branch of theirs has a structural gap
        result.update({p.key: Q(pk__in=[]) for p in COMPUTED if p.per_branch})
    else:
        for _, module in app_modules("quality_checks"):  # kinds that need the subtree, from the apps that know them
            result.update(module.subtree_conditions(org, today))
    if org.depth <= DUPLICATE_SCAN_MAX_DEPTH and not direct:
        result["duplicate_id_number"] = Q(id_number_hash__in=duplicated_id_hashes())
    return result


PROBLEMS = [
    Problem("missing_id_number", "未填写公民身份号码", "缺身份号码", "补录公民身份号码", missing_id_number),
    Problem("invalid_id_number", "公民身份号码存储异常或性别位不符", "身份号码异常",
            "核对公民身份号码并重新录入（出生日期、性别与号码的一致性在录入时校验）", invalid_id_number),
    Problem("missing_phone", "未填写联系电话", "缺联系电话", "补录联系电话", missing_phone),
    Problem("missing_education", "未填写学历", "缺学历", "补录学历", missing_education),
    Problem("missing_occupation", "未填写职业", "缺职业", "补录职业", missing_occupation),
    Problem("missing_native_place", "未填写籍贯", "缺籍贯", "补录籍贯", missing_native_place),
    Problem("full_without_date", "正式党员无转正日期", "正式无转正日期", "补录转正日期", full_without_date),
    Problem("probationary_with_date", "预备党员有转正日期", "预备有转正日期",
            "核实是否已转正：已转正的改为正式党员，未转正的删除转正日期", probationary_with_date),
    Problem("probation_overdue", f"预备期超过{PROBATION_MAX_YEARS}年仍未转正", "预备期超期",
            "预备期一般为一年，延长最多一年（《发展党员工作细则》第三十条）：及时讨论转正或按规定处理", probation_overdue),
    Problem("joined_under_age", f"入党时未满{rules.MIN_JOINING_AGE}周岁", "入党未满18岁",
            "核对出生日期和入党日期", joined_under_age),
    Problem("org_dissolved", "所在党组织已撤销", "组织已撤销", "转接组织关系到正常的党组织", org_dissolved),
    Problem("duplicate_id_number", "公民身份号码重复", "身份号码重复",
            "同一号码登记了多条党员信息：核实后合并或转出重复的记录", duplicate_id_number),
]
# Kinds the other apps add from their own quality_checks.py (PROBLEMS, subtree_conditions): organizational life
# knows who attended and which branches need a committee; members does not import it.
PROBLEMS += [problem for _, module in app_modules("quality_checks") for problem in module.PROBLEMS]
PROBLEMS_BY_KEY = {p.key: p for p in PROBLEMS}
COMPUTED = [p for p in PROBLEMS if p.computed]


def get_problem(key):
    """The computed problem kind named `key`, or None."""
    problem = PROBLEMS_BY_KEY.get(key)
    return problem if problem is not None and problem.computed else None


def any_problem(conditions):
    q = Q()
    for key, condition in conditions.items():
        if PROBLEMS_BY_KEY[key].in_total:
            q |= condition
    return q


# ---------------------------------------------------------------------------------------
# The report: counts over a subtree and per direct child, in one query
# ---------------------------------------------------------------------------------------


def _empty_counts():
    return {"total": 0, "with_problems": 0, **{p.key: 0 for p in COMPUTED}}


@dataclasses.dataclass
class Report:
    org: Organization
    totals: dict  # over the whole subtree
    direct: dict  # members attached to `org` itself
    children: list  # direct child organizations, each with `.counts`

    def rows(self):
        """(problem, subtree count or None) in display order."""
        return [(p, self.totals[p.key] if p.computed else None) for p in PROBLEMS]

    @staticmethod
    def cells(counts):
        """(problem, count) of the computed kinds, for one row of the per-child table."""
        return [(p, counts[p.key]) for p in COMPUTED]

    @property
    def total_cells(self):
        return self.cells(self.totals)

    @property
    def direct_cells(self):
        return self.cells(self.direct)


QUALITY = "members.quality"  # the kept roll-up of these counts (grassroots/members/rollups.py)


def counts_by_prefix(path, today, key="", direct=False):
    """{path prefix: counts} for the organization at `path` (members attached to it directly) and each direct child
    subtree, counted live (one grouped query, plus the branch-structure kinds' and for a city or district the
    duplicated ID numbers'); with `direct` only the members attached to `path` itself. The roll-up's function."""
    if direct:
        org = Organization.objects.filter(path=path).first() or Organization(path=path, depth=len(path) // Organization.steplen)
    else:
        org = Organization(path=path, depth=len(path) // Organization.steplen)  # (conditions read only these two)
    where = conditions(org, today, direct=direct)
    aggregates = {"total": Count("id"), "with_problems": Count("id", filter=any_problem(where))}
    aggregates.update({key: Count("id", filter=q) for key, q in where.items()})
    members = Member.objects.in_register()
    members = members.filter(org_path=path) if direct else members.within_path(path)
    rows = (
        members.order_by().annotate(prefix=Substr("org_path", 1, len(path) + Organization.steplen))
        .values("prefix").annotate(**aggregates)
    )
    return {row.pop("prefix"): row for row in rows}


def report(org, today=None):
    """The audit report of `org`: for the city, a district or a township from the kept counts (grassroots/orgs/
    summaries.py: brought up to date from the live records first), below them counted live."""
    today = today or timezone.localdate()
    total, by_prefix = summaries.breakdown(QUALITY, org.path, today)
    children = list(Organization.objects.children_of(org).order_by("path"))
    totals = {**_empty_counts(), **total}
    for child in children:
        child.counts = {**_empty_counts(), **by_prefix.get(child.path, {})}
        child.cells = Report.cells(child.counts)
    return Report(org=org, totals=totals, direct={**_empty_counts(), **by_prefix.get(org.path, {})}, children=children)


# ---------------------------------------------------------------------------------------
# Worklists
# ---------------------------------------------------------------------------------------


def worklist(org, problem, today=None, *, direct=False):
    """Members of `org`'s subtree (or only those attached to `org` itself) with the problem."""
    today = today or timezone.localdate()
    qs = Member.objects.in_register()
    qs = qs.filter(org_path=org.path) if direct else qs.within_path(org.path)
    return qs.filter(conditions(org, today)[problem.key]).select_related("org").order_by("org_path", "initials", "id")


def id_number_issue(member):
    """Why a stored ID number was flagged, read from its masked form."""
    masked = member.id_number_masked
    if not masked:
        return "有号码密文但缺少脱敏号码，请重新录入"
    if len(masked) != 18 or masked[4:14] != "*" * 10 or masked[17] not in "0123456789X" or not masked[16].isdigit():
        return f"号码格式不正确（{masked}），应为18位"
    return f"号码第17位（{masked[16]}）表示{'男' if int(masked[16]) % 2 else '女'}，与填写的性别不符"


def describe(problem, member, today=None):
    """One line saying what is wrong with this record, for the worklist and its export."""
    today = today or timezone.localdate()
    key = problem.key
    if key == "invalid_id_number":
        return id_number_issue(member)
    if key == "full_without_date":
        return f"正式党员，入党日期 {member.joined_on:%Y-%m-%d}，无转正日期"
    if key == "probationary_with_date":
        return f"预备党员，但填有转正日期 {member.full_on:%Y-%m-%d}"
    if key == "probation_overdue":
        months = (today.year - member.joined_on.year) * 12 + today.month - member.joined_on.month
        return f"{member.joined_on:%Y-%m-%d} 入党，预备期已约 {months} 个月"
    if key == "joined_under_age":
        return f"出生 {member.birth_date:%Y-%m-%d}，入党 {member.joined_on:%Y-%m-%d}，入党时 {rules.age_on(member.birth_date, member.joined_on)} 周岁"
    if key == "org_dissolved":
        dissolved = f"于 {member.org.dissolved_on:%Y-%m-%d} " if member.org.dissolved_on else ""
        return f"{member.org.name} 已{dissolved}撤销"
    if key == "duplicate_id_number":
        return f"号码 {member.id_number_masked} 登记了多名党员"
    if problem.per_branch:
        return f"{member.org.name}：{problem.label.removeprefix('所在党支部')}"
    return problem.label


def duplicates_of(members, user_paths):
    """{member pk: (visible duplicates [(name, org name)], hidden count)} for the members of one page (one query)."""
    hashes = {m.id_number_hash for m in members if m.id_number_hash}
    if not hashes:
        return {}
    rows = (
        Member.objects.in_register().filter(id_number_hash__in=hashes).order_by("org_path", "id")
        .values_list("pk", "id_number_hash", "name", "org__name", "org_path")
    )
    by_hash = {}
    for row in rows:
        by_hash.setdefault(row[1], []).append(row)
    result = {}
    for m in members:
        others = [r for r in by_hash.get(m.id_number_hash, []) if r[0] != m.pk]
        visible = [(r[2], r[3]) for r in others if scoping.covers(user_paths, r[4])]
        result[m.pk] = (visible, len(others) - len(visible))
    return result
