"""The notice's criteria for weak and lax organizations, as versioned rule sets chosen by date, and the local
practice numbers (settings with dated defaults).

Sources:
- 中共中央组织部《关于开展整顿软弱涣散基层党组织工作的通知》(part 1 of the 2014 notice on 党的群众路线教育实践
  活动 rectification), and the Central Organization Department's eight basic situations (RULES.md, wording from
  memory): 书记空缺或长期缺职 / 书记不胜任 / 班子不团结 / 组织生活不正常、制度形同虚设 / 村务财务混乱 /
  社会治安问题集中、信访突出 / 宗族宗教或黑恶势力干扰 / 换届选举拉票贿选; the notice adds 群众意见大 and the
  common local criterion 集体经济薄弱.
- The prescribed remedies (the notice): vacant → staffed within a deadline or a first secretary sent;
  不胜任 → replaced within a deadline; 不团结 → 整顿 within a deadline; rectification ends only when the masses
  are satisfied; contact leaders and assisting units do not detach before it ends.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from grassroots.members.rules import add_months, add_years


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    # alert kinds (core.alerting) that are evidence for this criterion; empty = judged by the township/district
    kinds: tuple = ()
    # the notice's remedy, when it prescribes one: (obligation key, label)
    remedy: tuple | None = None


@dataclass(frozen=True)
class RuleSet:
    version: str
    valid_from: datetime.date
    source: str
    criteria: tuple = field(default_factory=tuple)

    def criterion(self, key):
        return next((c for c in self.criteria if c.key == key), None)

    def kinds(self):
        return {k: c.key for c in self.criteria for k in c.kinds}

    def choices(self):
        return [(c.key, c.label) for c in self.criteria]


SECRETARY_VACANT = "secretary_vacant"
SECRETARY_INCOMPETENT = "secretary_incompetent"
DISUNITED = "disunited"

# Remedy (obligation) kinds with their Chinese label
REMEDY_STAFF = "staff"  # 配强书记 or 选派第一书记
REMEDY_REPLACE = "replace"  # 调整不胜任书记
REMEDY_RECTIFY = "rectify"  # 班子整顿
REMEDY_LABELS = {
    REMEDY_STAFF: "限期配齐书记或选派第一书记",
    REMEDY_REPLACE: "限期调整不胜任的书记",
    REMEDY_RECTIFY: "限期整顿班子",
}

_CRITERIA_2014 = (
    Criterion(SECRETARY_VACANT, "书记空缺或长期缺职、班子不健全、工作停滞", ("rectification.secretary_vacant",), (REMEDY_STAFF, REMEDY_LABELS[REMEDY_STAFF])),
    Criterion(SECRETARY_INCOMPETENT, "书记不胜任现职、工作不在状态", ("leaders.incompetent_twice",), (REMEDY_REPLACE, REMEDY_LABELS[REMEDY_REPLACE])),
    Criterion(DISUNITED, "班子不团结、内耗严重、工作不能正常开展", (), (REMEDY_RECTIFY, REMEDY_LABELS[REMEDY_RECTIFY])),
    Criterion("life_abnormal", "组织生活不正常、组织制度形同虚设", (
        "orglife.meetings_missing", "orglife.six_months", "orglife.committee_gap", "relations.lost_contact",
        "dues.arrears", "development.none_developed", "supervision.unsigned_notices",
    )),
    Criterion("affairs_chaos", "村务财务管理混乱", ("disclosure.routine_overdue", "decisions.stuck", "decisions.disclosure_overdue")),
    Criterion("public_order", "社会治安问题和信访矛盾集中"),
    Criterion("interference", "宗族宗教或黑恶势力干扰渗透"),
    Criterion("election", "换届选举拉票贿选等问题突出", ("leaders.term_expired",)),
    Criterion("masses_complaints", "群众意见大、反映强烈", ("discipline.concluded_true",)),
    Criterion("weak_economy", "村级集体经济薄弱"),
)

RULE_SETS = (
    RuleSet("2014", datetime.date(2014, 1, 1), "中组部《关于开展整顿软弱涣散基层党组织工作的通知》及八种基本情形", _CRITERIA_2014),
)


def rule_set_for(on):
    """The rule set in force on `on` (the latest whose valid_from is not after it)."""
    chosen = [r for r in RULE_SETS if r.valid_from <= on]
    return max(chosen, key=lambda r: r.valid_from) if chosen else RULE_SETS[0]


def rule_set_named(version):
    return next((r for r in RULE_SETS if r.version == version), RULE_SETS[-1])


# ---- local practice: settings with dated defaults ----------------------------------------------------------------
# Defaults: RULES.md (软弱涣散基层党组织, "local numeric triggers … are settings"), common county practice as of
# 2026-12; a deployment overrides them in settings.py.


def vacancy_months():
    """Secretary post vacant longer than this many months is a screening signal (default 3, RULES.md 2026-12)."""
    return int(getattr(settings, "GRASSROOTS_RECTIFICATION_VACANCY_MONTHS", 3))


def no_development_years():
    """No member developed for this many years is a signal (default 2, RULES.md 2026-12)."""
    return int(getattr(settings, "GRASSROOTS_RECTIFICATION_NO_DEVELOPMENT_YEARS", 2))


def satisfaction_threshold():
    """Acceptance needs (满意+基本满意) at least this share (default 0.60, RULES.md 2026-12)."""
    return Decimal(str(getattr(settings, "GRASSROOTS_RECTIFICATION_SATISFACTION", "0.60")))


def village_share():
    """The district picks at least this share of its villages (default 0.10, the notice's 10 %, 2014)."""
    return Decimal(str(getattr(settings, "GRASSROOTS_RECTIFICATION_VILLAGE_SHARE", "0.10")))


def community_share():
    """…and of its communities (default 0.05, the notice's 5 %, 2014)."""
    return Decimal(str(getattr(settings, "GRASSROOTS_RECTIFICATION_COMMUNITY_SHARE", "0.05")))


def watch_months():
    """A closed case is watched against 回潮 this many months (default 12, common county practice 2026-12)."""
    return int(getattr(settings, "GRASSROOTS_RECTIFICATION_WATCH_MONTHS", 12))


def remedy_days():
    """Days allowed for a prescribed remedy (default 90: "限期", county practice 2026-12)."""
    return int(getattr(settings, "GRASSROOTS_RECTIFICATION_REMEDY_DAYS", 90))


def remedial_days():
    """Days allowed for 补课 after a failed acceptance (default 60, county practice 2026-12)."""
    return int(getattr(settings, "GRASSROOTS_RECTIFICATION_REMEDIAL_DAYS", 60))


def reminder_days():
    """Remind this many days before an obligation's deadline (default 14)."""
    return int(getattr(settings, "GRASSROOTS_RECTIFICATION_REMINDER_DAYS", 14))


def signal_counts(kind, since, today):
    """Does an alert of `kind` that began on `since` meet the local threshold on `today`? Vacancy and development
    carry their own time thresholds; every other signal counts as soon as it is raised."""
    if since is None:
        return True
    if kind == "rectification.secretary_vacant":
        return since <= add_months(today, -vacancy_months())
    if kind == "development.none_developed":
        return since <= add_years(today, -no_development_years())
    return True


def required_count(total, share):
    """At least `share` of `total`, rounded up (10 % of 23 villages is 3)."""
    if not total:
        return 0
    whole = share * total
    n = int(whole)
    return n if n == whole else n + 1


def even_split(per_township):
    """An even split: every township with units puts forward the same number (≥ 1) of candidates — the sign of a
    quota handed down rather than a screening (the notice asks for a bottom-up one). Needs two townships or more."""
    values = [n for n in per_township.values()]
    return len(values) >= 2 and len(set(values)) == 1 and values[0] > 0
