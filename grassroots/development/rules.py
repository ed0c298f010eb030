"""The regulation's numbers for member development (发展党员), as data: versioned rule sets of ordered steps
with their time rules, and the pure checks that apply them.

Sources:
- 中国共产党发展党员工作细则 (中办发〔2014〕29号, "细则 2014"): five stages, twenty-five steps; article numbers below.
- Its revision of May 2026 (reported: five stages, 29 steps; a public notice of at least 5 working days before a
  candidate is confirmed, the branch assembly within one month after the pre-review, the oath within one month of
  approval). The revised text itself was not found with the search tool (no page gave its number, its 29 steps or
  its date of effect), so only those three reported additions are encoded, as a second rule set whose date of effect
  is the setting GRASSROOTS_DEVELOPMENT_2026_EFFECTIVE (default 2026-06-01). Which set applies is chosen by the
  application date.

Each check returns Chinese messages; the service refuses on errors and records warnings with the step.
"""

import dataclasses
import datetime

from django.conf import settings

from grassroots.core import workdays
from grassroots.members.rules import MIN_JOINING_AGE, add_months, add_years, age_on

# ---- numbers ---------------------------------------------------------------------------------------------

# 细则 2014 art. 8: the branch talks with the applicant within one month of receiving the application.
# Decision: the text says "should" (应当); a talk held late did happen and must be recordable, so a late talk is
# recorded with a warning, and until it is held the applicant is listed as overdue on the board.
TALK_WITHIN_MONTHS = 1
# 细则 2014 art. 10: one or two full members are appointed as cultivation contacts (培养联系人).
CONTACTS_MIN, CONTACTS_MAX = 1, 2
# 细则 2014 art. 11: the branch reviews each activist every six months (每半年进行一次考察).
REVIEW_EVERY_MONTHS = 6
# 细则 2014 art. 13: at least one year of cultivation as activist before designation as candidate.
ACTIVIST_MIN_YEARS = 1
# 细则 2014 art. 15: two full members act as sponsors (入党介绍人).
SPONSORS = 2
# 细则 2014 art. 17: concentrated training of at least three days or at least 24 class hours (学时).
TRAINING_MIN_DAYS = 3
TRAINING_MIN_HOURS = 24
# 细则 2014 art. 24: the higher committee approves within three months of the assembly's resolution; in special
# circumstances it may extend, but by no more than three months (so at most six in all).
APPROVAL_WITHIN_MONTHS = 3
APPROVAL_MAX_MONTHS = 6
# Party Constitution art. 7; 细则 2014 art. 28: probation is one year, counted from the assembly's resolution.
PROBATION_YEARS = 1
# 细则 2014 art. 30 (Party Constitution art. 7): probation may be extended once, by at least six months and at
# most one year.
EXTENSION_MIN_MONTHS = 6
EXTENSION_MAX_MONTHS = 12
# 细则 2014 art. 32: the higher committee approves full membership within three months of the assembly's
# resolution (the same limit as admission).
FULL_APPROVAL_WITHIN_MONTHS = 3
# The board lists probation ending within this many days (the issue: "probation ending within 30 days").
PROBATION_ENDING_DAYS = 30

# 2026 revision (reported; see the module docstring).
NOTICE_MIN_WORKING_DAYS = 5
ASSEMBLY_WITHIN_MONTHS_OF_PREREVIEW = 1
OATH_WITHIN_MONTHS_OF_APPROVAL = 1

DEFAULT_2026_EFFECTIVE = datetime.date(2026, 6, 1)


def rule_set_2026_effective():
    """Date of effect of the 2026 revision: setting GRASSROOTS_DEVELOPMENT_2026_EFFECTIVE (a date or ISO string)."""
    value = getattr(settings, "GRASSROOTS_DEVELOPMENT_2026_EFFECTIVE", DEFAULT_2026_EFFECTIVE)
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


# ---- date arithmetic -------------------------------------------------------------------------------------


def add_working_days(day, n):
    """`n` working days after `day`: Monday to Friday, with the public holidays and make-up working days of the
    State Council's yearly notice when the deployment has entered them (grassroots/core/workdays.py)."""
    return workdays.add_working_days(day, n)


# ---- votes -----------------------------------------------------------------------------------------------


def vote_errors(entitled, present, votes_for, against, abstain):
    """Impossible numbers of a branch general assembly vote, as {field: message}."""
    errors = {}
    for field, value in (("present", present), ("votes_for", votes_for), ("against", against), ("abstain", abstain)):
        if value is None or value < 0:
            errors[field] = "请填写不小于0的人数"
    if errors:
        return errors
    if present > entitled:
        errors["present"] = f"到会人数（{present}）不能超过应到会有表决权的人数（{entitled}）"
    elif votes_for + against + abstain > present:
        errors["votes_for"] = f"赞成、反对、弃权合计（{votes_for + against + abstain}）不能超过到会人数（{present}）"
    return errors


def has_quorum(entitled, present):
    """细则 2014 art. 20 (and art. 33 for full membership): the assembly may proceed only if more than half of the
    members entitled to vote are present."""
    return 2 * present > entitled


def passes(entitled, votes_for):
    """细则 2014 art. 20: the resolution passes only if more than half of the full members entitled to vote (those
    who should attend, not only those present) vote for it."""
    return 2 * votes_for > entitled


# ---- steps as data ---------------------------------------------------------------------------------------

BRANCH, HIGHER = "branch", "higher"
REFUSE, WARN = "refuse", "warn"


@dataclasses.dataclass(frozen=True)
class Within:
    """The step should happen no later than `months` after step `ref` (after the probation end when ref is
    "probation_end"). Late: refused, or recorded with a warning (`severity`). `max_months` with a reason."""

    ref: str
    months: int
    severity: str
    source: str
    max_months: int | None = None


@dataclasses.dataclass(frozen=True)
class NotBefore:
    """The step may not happen before `years` years (or `working_days`) after step `ref`."""

    ref: str
    source: str
    years: int = 0
    working_days: int = 0


@dataclasses.dataclass(frozen=True)
class Step:
    code: str
    stage: str  # the stage the applicant must be in to record it
    title: str
    by: str  # BRANCH: the branch records it; HIGHER: a managing role strictly above the branch
    requires: tuple = ()
    fields: tuple = ()  # extra inputs: contacts, sponsors, training, vote, extension_reason
    repeatable: bool = False
    to_stage: str = ""  # the stage the applicant enters
    within: tuple = ()
    not_before: tuple = ()
    source: str = ""


@dataclasses.dataclass(frozen=True)
class RuleSet:
    code: str
    title: str
    steps: tuple

    def __post_init__(self):
        object.__setattr__(self, "by_code", {s.code: s for s in self.steps})

    def step(self, code):
        return self.by_code[code]

    def number(self, code):
        return next(i for i, s in enumerate(self.steps, 1) if s.code == code)


APPLICANT, ACTIVIST, CANDIDATE, PROBATIONARY, FULL = "applicant", "activist", "candidate", "probationary", "full"

STEPS_2014 = (
    Step("application", APPLICANT, "递交入党申请书", BRANCH, source="细则 art. 7-8"),
    Step("talk", APPLICANT, "党组织派人谈话", BRANCH, ("application",),
         within=(Within("application", TALK_WITHIN_MONTHS, WARN, "细则 art. 8"),), source="细则 art. 8"),
    Step("activist", APPLICANT, "推荐和确定入党积极分子", BRANCH, ("talk",), to_stage=ACTIVIST, source="细则 art. 9"),
    Step("activist_filing", ACTIVIST, "报上级党委备案", HIGHER, ("activist",), source="细则 art. 9"),
    Step("contacts", ACTIVIST, "指定培养联系人", BRANCH, ("activist",), fields=("contacts",), source="细则 art. 10"),
    Step("review", ACTIVIST, "培养教育考察（半年考察）", BRANCH, ("contacts",), repeatable=True, source="细则 art. 11"),
    Step("candidate", ACTIVIST, "确定为发展对象", BRANCH, ("activist_filing", "review"), to_stage=CANDIDATE,
         not_before=(NotBefore("activist", "细则 art. 13", years=ACTIVIST_MIN_YEARS),), source="细则 art. 13"),
    Step("candidate_filing", CANDIDATE, "报上级党委备案", HIGHER, ("candidate",), source="细则 art. 14"),
    Step("sponsors", CANDIDATE, "确定入党介绍人", BRANCH, ("candidate",), fields=("sponsors",), source="细则 art. 15"),
    Step("political_review", CANDIDATE, "进行政治审查", BRANCH, ("candidate",), source="细则 art. 16"),
    Step("training", CANDIDATE, "开展集中培训", BRANCH, ("candidate",), fields=("training",), source="细则 art. 17"),
    Step("committee_review", CANDIDATE, "支部委员会审查", BRANCH,
         ("candidate_filing", "sponsors", "political_review", "training"), source="细则 art. 18"),
    Step("prereview", CANDIDATE, "上级党委预审", HIGHER, ("committee_review",), source="细则 art. 19"),
    Step("application_form", CANDIDATE, "填写入党志愿书", BRANCH, ("prereview",), source="细则 art. 19"),
    Step("admission_vote", CANDIDATE, "支部党员大会讨论", BRANCH, ("application_form",), fields=("vote",),
         source="细则 art. 20-21"),
    Step("committee_talk", CANDIDATE, "上级党委派人谈话", HIGHER, ("admission_vote",), source="细则 art. 23"),
    Step("approval", CANDIDATE, "上级党委审批", HIGHER, ("committee_talk",), fields=("extension_reason",), to_stage=PROBATIONARY,
         within=(Within("admission_vote", APPROVAL_WITHIN_MONTHS, REFUSE, "细则 art. 24", max_months=APPROVAL_MAX_MONTHS),),
         source="细则 art. 24"),
    Step("approval_filing", PROBATIONARY, "再上一级党委组织部门备案", HIGHER, ("approval",), source="细则 art. 25"),
    Step("placement", PROBATIONARY, "编入党支部和党小组", BRANCH, ("approval",), source="细则 art. 26"),
    Step("oath", PROBATIONARY, "入党宣誓", BRANCH, ("approval",), source="细则 art. 27"),
    Step("probation_review", PROBATIONARY, "继续教育考察", BRANCH, ("placement",), repeatable=True, source="细则 art. 28"),
    Step("full_application", PROBATIONARY, "提出转正申请", BRANCH, ("oath", "placement"), source="细则 art. 31"),
    Step("full_vote", PROBATIONARY, "支部党员大会讨论转正", BRANCH, ("full_application",), fields=("vote",),
         not_before=(NotBefore("probation_end", "细则 art. 28, 31"),), source="细则 art. 31-33"),
    Step("full_approval", PROBATIONARY, "上级党委审批转正", HIGHER, ("full_vote",), fields=("extension_reason",), to_stage=FULL,
         within=(Within("full_vote", FULL_APPROVAL_WITHIN_MONTHS, REFUSE, "细则 art. 32", max_months=APPROVAL_MAX_MONTHS),),
         source="细则 art. 32"),
    Step("archive", FULL, "材料归档", HIGHER, ("full_approval",), source="细则 art. 34"),
)

# Actions outside the ordered list, recorded as steps of the timeline too.
EXTEND = Step("extend", PROBATIONARY, "延长预备期", HIGHER, ("approval",), fields=("extension",), source="细则 art. 30")
CANCEL = Step("cancel", "", "取消资格", BRANCH, fields=("reason",), source="细则 art. 30; art. 12")
WITHDRAW = Step("withdraw", "", "本人撤回申请", BRANCH, fields=("reason",))
ACTIONS = {s.code: s for s in (EXTEND, CANCEL, WITHDRAW)}


def _revise_2026(steps):
    """The 2014 list with the 2026 additions (reported text: see the module docstring)."""
    revised = []
    for s in steps:
        if s.code == "candidate":
            revised.append(Step("notice", ACTIVIST, "发展对象公示", BRANCH, ("activist_filing", "review"), source="2026 修订"))
            s = dataclasses.replace(
                s, requires=("notice",),
                not_before=(*s.not_before, NotBefore("notice", "2026 修订", working_days=NOTICE_MIN_WORKING_DAYS)),
            )
        elif s.code == "admission_vote":
            s = dataclasses.replace(s, within=(Within("prereview", ASSEMBLY_WITHIN_MONTHS_OF_PREREVIEW, WARN, "2026 修订"),))
        elif s.code == "oath":
            s = dataclasses.replace(s, within=(Within("approval", OATH_WITHIN_MONTHS_OF_APPROVAL, WARN, "2026 修订"),))
        revised.append(s)
    return tuple(revised)


RULES_2014 = RuleSet("2014", "发展党员工作细则（2014）", STEPS_2014)
RULES_2026 = RuleSet("2026", "发展党员工作细则（2026年修订）", _revise_2026(STEPS_2014))
RULE_SETS = {r.code: r for r in (RULES_2014, RULES_2026)}


def rule_set_for(applied_on):
    return RULES_2026 if applied_on >= rule_set_2026_effective() else RULES_2014


def step_for(rule_set, code):
    return ACTIONS.get(code) or rule_set.step(code)


# ---- checks ----------------------------------------------------------------------------------------------


def application_errors(birth_date, applied_on, today):
    errors = {}
    if applied_on > today:
        errors["applied_on"] = "申请日期不能晚于今天"
    # Party Constitution art. 1; 细则 2014 art. 7: an applicant must be eighteen or older.
    if birth_date and age_on(birth_date, applied_on) < MIN_JOINING_AGE:
        errors["birth_date"] = f"递交申请时应年满{MIN_JOINING_AGE}周岁"
    return errors


def probation_end(admitted_on, extension_months=0):
    """One year from the assembly's resolution, plus an extension (细则 art. 28, 30)."""
    return add_months(add_years(admitted_on, PROBATION_YEARS), extension_months)


def check_step(rule_set, stage, history, code, day, data, today):
    """Whether step `code` may be recorded on `day`.

    `history` maps step codes to the dates of their effective records (a list, oldest first); `history["probation_end"]`
    holds the current probation end once admitted. Returns (errors {field: message}, warnings [message])."""
    step = step_for(rule_set, code)
    errors, warnings = {}, []
    if day is None:
        return {"date": "请填写日期"}, []
    if day > today:
        errors["date"] = "日期不能晚于今天"
    if step.stage and stage != step.stage:
        return {"__all__": f"当前阶段不能办理“{step.title}”"}, []
    if code in history and not step.repeatable and code not in ACTIONS:
        return {"__all__": f"“{step.title}”已经办理，不能重复登记；如有错误请更正"}, []
    missing = [rule_set.step(r).title for r in step.requires if r not in history]
    if missing:
        return {"__all__": f"请先办理：{'、'.join(missing)}"}, []
    for r in step.requires:
        if history[r][-1] > day:
            errors["date"] = f"日期不能早于“{rule_set.step(r).title}”的日期（{history[r][-1]:%Y-%m-%d}）"
    if code not in ("application",) and "application" in history and day < history["application"][0]:
        errors["date"] = "日期不能早于递交入党申请的日期"
    for rule in step.not_before:
        ref = history.get(rule.ref)
        if not ref:
            continue
        start = ref[-1]
        if rule.years:
            earliest = add_years(start, rule.years)
            label = f"满{rule.years}年"
        elif rule.working_days:
            earliest = add_working_days(start, rule.working_days)
            label = f"满{rule.working_days}个工作日"
        else:
            earliest, label = start, "期满"
        if day < earliest and rule.ref == "probation_end":
            errors["date"] = f"预备期满（{earliest:%Y-%m-%d}）后才能办理"
        elif day < earliest:
            errors["date"] = f"“{rule_set.step(rule.ref).title}”{label}（{earliest:%Y-%m-%d}）后才能办理"
    for rule in step.within:
        ref = history.get(rule.ref)
        if not ref:
            continue
        deadline = add_months(ref[-1], rule.months)
        if day <= deadline:
            continue
        label = f"应在“{rule_set.step(rule.ref).title}”后{rule.months}个月内（{deadline:%Y-%m-%d}前）办理"
        if rule.severity == WARN:
            warnings.append(f"逾期办理：{label}")
        elif rule.max_months and day <= add_months(ref[-1], rule.max_months) and (data.get("extension_reason") or "").strip():
            warnings.append(f"延长审批期限：{label}，已说明理由")
        elif rule.max_months and day <= add_months(ref[-1], rule.max_months):
            errors["extension_reason"] = f"{label}；特殊情况延长的，请填写延长理由（最长不超过{rule.max_months}个月）"
        else:
            errors["date"] = f"已超过期限：{label}" + (f"，延长后也不得超过{rule.max_months}个月" if rule.max_months else "")
    errors.update(field_errors(step, data, history, day))
    return errors, warnings


def field_errors(step, data, history, day):
    errors = {}
    if "contacts" in step.fields:
        n = len(data.get("contacts") or [])
        if not CONTACTS_MIN <= n <= CONTACTS_MAX:
            errors["contacts"] = f"应指定{CONTACTS_MIN}至{CONTACTS_MAX}名正式党员作为培养联系人"
    if "sponsors" in step.fields:
        sponsors = [s["id"] if isinstance(s, dict) else s for s in data.get("sponsors") or []]
        if len(set(sponsors)) != SPONSORS or len(sponsors) != SPONSORS:
            errors["sponsors"] = f"应有{SPONSORS}名正式党员作入党介绍人"
    if "training" in step.fields:
        days, hours = data.get("training_days") or 0, data.get("training_hours") or 0
        if days < TRAINING_MIN_DAYS and hours < TRAINING_MIN_HOURS:
            errors["training_hours"] = f"集中培训应不少于{TRAINING_MIN_DAYS}天或{TRAINING_MIN_HOURS}个学时"
    if "extension" in step.fields:
        months = data.get("months")
        if "extend" in history:
            errors["months"] = "预备期只能延长一次"
        elif months is None or not EXTENSION_MIN_MONTHS <= months <= EXTENSION_MAX_MONTHS:
            errors["months"] = f"延长预备期应不少于{EXTENSION_MIN_MONTHS}个月、不超过{EXTENSION_MAX_MONTHS}个月"
        if "full_vote" in history:
            errors["__all__"] = "已讨论转正，不能再延长预备期"
    if "reason" in step.fields and not (data.get("reason") or "").strip():
        errors["reason"] = "请填写理由"
    return errors


def history_violations(rule_set, birth_date, records):
    """An independent audit of a finished (or partial) history: `records` is a list of (code, date, data) of
    effective records in the order they were recorded. Returns the rules the history breaks (empty if none).
    Used by the property test: no sequence of service calls may leave a history that fails this."""
    violations = []
    seen = {}
    extension = 0
    for code, day, data in records:
        if data.get("passed") is False:  # a vote that failed decides nothing
            continue
        if code in ACTIONS:
            if code == "extend":
                extension += data.get("months", 0)
                if not EXTENSION_MIN_MONTHS <= data.get("months", 0) <= EXTENSION_MAX_MONTHS or "extend" in seen:
                    violations.append("extension")
            seen.setdefault(code, []).append(day)
            continue
        step = rule_set.step(code)
        for r in step.requires:
            if r not in seen or seen[r][-1] > day:
                violations.append(f"{code} before {r}")
        if code in seen and not step.repeatable:
            violations.append(f"{code} twice")
        seen.setdefault(code, []).append(day)
    get = lambda c: seen.get(c, [None])[0]  # noqa: E731
    if get("application") and age_on(birth_date, get("application")) < MIN_JOINING_AGE:
        violations.append("under 18")
    if get("candidate") and get("candidate") < add_years(get("activist"), ACTIVIST_MIN_YEARS):
        violations.append("activist less than a year")
    if get("approval") and get("approval") > add_months(get("admission_vote"), APPROVAL_MAX_MONTHS):
        violations.append("approval later than six months")
    if get("full_vote") and get("full_vote") < probation_end(get("admission_vote"), extension):
        violations.append("full vote before the end of probation")
    if get("full_approval") and get("full_approval") > add_months(get("full_vote"), APPROVAL_MAX_MONTHS):
        violations.append("full approval later than six months")
    for code, _day, data in records:
        if code in ("admission_vote", "full_vote") and data.get("passed"):
            if not (has_quorum(data["entitled"], data["present"]) and passes(data["entitled"], data["votes_for"])):
                violations.append(f"{code} did not pass")
    return violations
