"""The rules of 四议两公开 and of the villagers' bodies that vote on a matter: pure functions and data, no database.

Sources (RULES.md "Villagers' self-government" and "四议两公开"):
- 《中华人民共和国村民委员会组织法》 (amended 2018 and 2025; cited by name, the 2025 amendment moved the article
  numbers): the villagers' meeting may proceed with more than half of the villagers aged 18 or over, or with
  representatives of at least two thirds of the households; it decides by more than half of those present. The
  villagers' representative meeting may proceed with at least two thirds of its members present and decides by more
  than half of those present. Major matters are disclosed at once; the village affairs supervisory committee may have
  no villagers' committee member or close relative of one.
- 《中国共产党支部工作条例（试行）》 (2018): a Party member assembly may proceed only when more than half of the members
  entitled to vote are present, and a decision passes only when the votes for are more than half of the members
  entitled to vote (赞成人数超过应到会有表决权的党员半数). This is the national default for step 3 (党员大会审议).
- 四议两公开 (中组部 and the provincial practice texts): the order proposal → joint meeting → member assembly → villagers'
  (representative) meeting → resolution made public → results made public is strict. Local practice (settings):
  two thirds of members present at the member assembly, materials sent 3 days before, merging steps 1 and 2 where one
  person holds both top posts.
- 《中华人民共和国城市居民委员会组织法》 (revised 2025): communities use their own deliberation forms (居民代表会议,
  社区事务听证会, 民主恳谈会, 党群议事会); none has a statutory quorum, so the representative-meeting rule (two thirds
  present, more than half of those present in favour) is applied to the registered participants as the default.

"More than half" is strictly greater; "at least two thirds" is computed with integers (3 * present >= 2 * total).
"""

from dataclasses import dataclass

from django.conf import settings

from .choices import Body, StepKind

# ---- step sets ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepDef:
    kind: str
    label: str


@dataclass(frozen=True)
class StepSet:
    code: str
    label: str
    steps: tuple
    bodies: tuple  # who may resolve the matter in the RESOLUTION step

    def label_of(self, kind):
        for s in self.steps:
            if s.kind == kind:
                return s.label
        return StepKind(kind).label


VILLAGE = StepSet(
    "village", "农村“四议两公开”",
    (
        StepDef(StepKind.PROPOSAL, "村党组织提议"),
        StepDef(StepKind.CONSULTATION, "村“两委”联席会议商议"),
        StepDef(StepKind.REVIEW, "党员大会审议"),
        StepDef(StepKind.RESOLUTION, "村民代表会议或村民会议决议"),
        StepDef(StepKind.RESOLUTION_DISCLOSURE, "决议公开"),
        StepDef(StepKind.PROGRESS_DISCLOSURE, "实施情况公开"),
        StepDef(StepKind.RESULT_DISCLOSURE, "实施结果公开"),
    ),
    (Body.REPRESENTATIVES, Body.VILLAGERS),
)
COMMUNITY = StepSet(
    "community", "城市社区“四议两公开”",
    (
        StepDef(StepKind.PROPOSAL, "社区党组织提议"),
        StepDef(StepKind.CONSULTATION, "社区“两委”联席会议商议"),
        StepDef(StepKind.REVIEW, "党员大会审议"),
        StepDef(StepKind.RESOLUTION, "居民代表会议、社区事务听证会、民主恳谈会或党群议事会决议"),
        StepDef(StepKind.RESOLUTION_DISCLOSURE, "决议公开"),
        StepDef(StepKind.PROGRESS_DISCLOSURE, "实施情况公开"),
        StepDef(StepKind.RESULT_DISCLOSURE, "结果公开"),
    ),
    (Body.RESIDENT_REPRESENTATIVES, Body.HEARING, Body.DIALOGUE, Body.COUNCIL),
)
COMMUNITY_HEARING = StepSet(
    "community_hearing", "城市社区（听证会、恳谈会决议）",
    COMMUNITY.steps,
    (Body.HEARING, Body.DIALOGUE, Body.COUNCIL),
)
STEP_SETS = {s.code: s for s in (VILLAGE, COMMUNITY, COMMUNITY_HEARING)}
# The set an organization uses unless it chooses another (VillageSettings.step_set): by its unit category.
DEFAULT_SET_BY_CATEGORY = {"rural": "village", "community": "community"}
MATTER_CATEGORIES = frozenset(DEFAULT_SET_BY_CATEGORY)  # only village and community organizations run matters


def step_set_for(category, chosen=""):
    return STEP_SETS.get(chosen) or STEP_SETS[DEFAULT_SET_BY_CATEGORY.get(category, "village")]


def sequence(step_set, merged=False):
    """The ordered step kinds of one round. With steps 1 and 2 merged (local practice, one person holding both top
    posts) the joint meeting is recorded together with the proposal."""
    kinds = [s.kind for s in step_set.steps]
    if merged:
        kinds.remove(StepKind.CONSULTATION)
    return kinds


def allowed_next(kinds_done, step_set, merged=False):
    """The step kinds that may be recorded next, given the confirmed kinds of the current round in order. The
    deliberation steps and the resolution disclosure come once each in their order; then at least one implementation
    disclosure (repeatable), then the final result. [] when the round is complete."""
    order = sequence(step_set, merged)
    head = order[:-2]
    done = list(kinds_done)
    if done[: len(head)] != head[: min(len(done), len(head))]:
        raise ValueError(f"steps out of order: {done}")
    if len(done) < len(head):
        return [head[len(done)]]
    tail = done[len(head) :]
    if any(k != StepKind.PROGRESS_DISCLOSURE for k in tail[:-1]) or (tail and tail[-1] not in order[-2:]):
        raise ValueError(f"steps out of order: {done}")
    if not tail:
        return [StepKind.PROGRESS_DISCLOSURE]
    if tail[-1] == StepKind.RESULT_DISCLOSURE:
        return []
    return [StepKind.PROGRESS_DISCLOSURE, StepKind.RESULT_DISCLOSURE]


# ---- local practice (settings) -----------------------------------------------------------------------------------


def merge_allowed():
    """GRASSROOTS_DECISIONS_MERGE_FIRST_STEPS: may a village record steps 1 and 2 together where one person is both
    Party secretary and villagers' committee chair (一肩挑)? National default: no, every step is held separately."""
    return bool(getattr(settings, "GRASSROOTS_DECISIONS_MERGE_FIRST_STEPS", False))


def assembly_quorum():
    """GRASSROOTS_DECISIONS_ASSEMBLY_QUORUM: "half" (national, 支部工作条例: more than half of the members entitled to
    vote present) or "two_thirds" (local practice: at least two thirds present)."""
    value = getattr(settings, "GRASSROOTS_DECISIONS_ASSEMBLY_QUORUM", "half")
    return value if value in ("half", "two_thirds") else "half"


def assembly_majority_base():
    """GRASSROOTS_DECISIONS_ASSEMBLY_MAJORITY: "entitled" (national, 支部工作条例: votes for more than half of the members
    entitled to vote) or "present" (local practice: more than half of those present)."""
    value = getattr(settings, "GRASSROOTS_DECISIONS_ASSEMBLY_MAJORITY", "entitled")
    return value if value in ("entitled", "present") else "entitled"


def materials_days():
    """GRASSROOTS_DECISIONS_MATERIALS_DAYS: local practice sends the member assembly its materials this many days
    before the meeting (often 3). National default: no such requirement (0)."""
    return int(getattr(settings, "GRASSROOTS_DECISIONS_MATERIALS_DAYS", 0))


def resolution_disclosure_days():
    """GRASSROOTS_DECISIONS_RESOLUTION_DAYS: the resolution must be made public within this many days of the vote.
    The Organic Law says major matters are disclosed at once (随时公开); default 3 days."""
    return int(getattr(settings, "GRASSROOTS_DECISIONS_RESOLUTION_DAYS", 3))


def progress_disclosure_days():
    """GRASSROOTS_DECISIONS_PROGRESS_DAYS: implementation progress must be updated at least this often. Default 30 days
    (financial items monthly where transactions are many; the Organic Law's quarterly minimum is the outer bound)."""
    return int(getattr(settings, "GRASSROOTS_DECISIONS_PROGRESS_DAYS", 30))


def stuck_days():
    """GRASSROOTS_DECISIONS_STUCK_DAYS: a matter waiting longer than this in one deliberation step is shown as stuck
    on the oversight page (a management threshold, not a regulation). Default 30."""
    return int(getattr(settings, "GRASSROOTS_DECISIONS_STUCK_DAYS", 30))


def min_posting_days():
    """GRASSROOTS_DECISIONS_MIN_POSTING_DAYS: how long a resolution stays posted at least. Default 7 days (common
    provincial practice for 决议公示; no national number)."""
    return int(getattr(settings, "GRASSROOTS_DECISIONS_MIN_POSTING_DAYS", 7))


# ---- quorum and majority -----------------------------------------------------------------------------------------


def more_than_half(part, whole):
    return 2 * part > whole


def at_least_two_thirds(part, whole):
    return 3 * part >= 2 * whole


@dataclass(frozen=True)
class Outcome:
    quorum: bool
    passed: bool
    reason: str  # Chinese explanation shown on the step


def representatives_meeting(registered, present, votes_for):
    """村民代表会议 (村民委员会组织法): at least two thirds of its members present; more than half of those present agree."""
    if not at_least_two_thirds(present, registered):
        return Outcome(False, False, f"到会代表 {present} 人，未达到全体 {registered} 名代表的三分之二，会议不能举行")
    if not more_than_half(votes_for, present):
        return Outcome(True, False, f"赞成 {votes_for} 票，未超过到会 {present} 人的半数，未通过")
    return Outcome(True, True, f"到会 {present}/{registered} 人，赞成 {votes_for} 票，超过到会人数半数，通过")


def villagers_meeting(adults, households, present, households_present, votes_for):
    """村民会议 (村民委员会组织法): more than half of the villagers aged 18 or over present, or representatives of at least
    two thirds of the households; more than half of those present agree."""
    by_people = more_than_half(present, adults)
    by_households = households > 0 and at_least_two_thirds(households_present, households)
    if not (by_people or by_households):
        return Outcome(
            False, False,
            f"到会 {present} 人未超过 {adults} 名十八周岁以上村民的半数，所代表 {households_present} 户也未达到 {households} 户的三分之二，会议不能举行",
        )
    if not more_than_half(votes_for, present):
        return Outcome(True, False, f"赞成 {votes_for} 票，未超过到会 {present} 人的半数，未通过")
    return Outcome(True, True, f"到会 {present} 人，赞成 {votes_for} 票，超过到会人数半数，通过")


def member_assembly(entitled, present, votes_for, quorum=None, base=None):
    """党员大会审议: `entitled` full members entitled to vote, `present` of them present (probationary members attend
    without a vote). National default (支部工作条例): more than half present; votes for more than half of the entitled.
    Local: two thirds present (GRASSROOTS_DECISIONS_ASSEMBLY_QUORUM), more than half of those present
    (GRASSROOTS_DECISIONS_ASSEMBLY_MAJORITY)."""
    quorum = quorum or assembly_quorum()
    base = base or assembly_majority_base()
    if quorum == "two_thirds":
        if not at_least_two_thirds(present, entitled):
            return Outcome(False, False, f"到会有表决权的党员 {present} 人，未达到应到 {entitled} 人的三分之二，会议不能举行")
    elif not more_than_half(present, entitled):
        return Outcome(False, False, f"到会有表决权的党员 {present} 人，未超过应到 {entitled} 人的半数，会议不能举行")
    whole, label = (entitled, "应到会有表决权党员") if base == "entitled" else (present, "到会有表决权党员")
    if not more_than_half(votes_for, whole):
        return Outcome(True, False, f"赞成 {votes_for} 票，未超过{label} {whole} 人的半数，未通过")
    return Outcome(True, True, f"到会 {present}/{entitled} 人，赞成 {votes_for} 票，超过{label}半数，通过")


def votes_error(present, votes_for, against, abstain):
    """The counted votes cannot exceed those present."""
    if min(present, votes_for, against, abstain) < 0:
        return "人数和票数不能为负数"
    if votes_for + against + abstain > present:
        return f"赞成、反对、弃权合计 {votes_for + against + abstain} 票，超过到会人数 {present}"
    return ""


DISCLOSURE_STEP_KINDS = frozenset({StepKind.RESOLUTION_DISCLOSURE, StepKind.PROGRESS_DISCLOSURE, StepKind.RESULT_DISCLOSURE})
