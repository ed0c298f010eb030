"""The numbers of 两委换届 and of the village cadre team, each with its source.

Regulation numbers are constants; local practice is a Django setting read with a dated default."""

import datetime
import hashlib

from django.conf import settings

from grassroots.members.rules import add_years, age_on  # noqa: F401 (age_on used by queries)


# 村民委员会组织法 (2018 amendment: the villagers' committee term went from 3 to 5 years, matching the Party
# organization) and 中国共产党农村基层组织工作条例 (2019): the village Party organization's committee serves 5 years.
# The urban residents' committee law (2018) did the same for communities. A setting so that a later law can change it.
def term_years():
    # Default 5: 村民委员会组织法 as amended 2018-12-29; 农村基层组织工作条例 2019-01-10.
    return getattr(settings, "GRASSROOTS_LEADERS_TERM_YEARS", 5)


def term_end(start):
    """The last day of a term that starts on `start` (the day before the same date `term_years()` later)."""
    return add_years(start, term_years()) - datetime.timedelta(days=1)


def reminder_days():
    """Days before a term ends on which the village and its township are reminded to prepare the election.
    Default (2026-12): 180, 90 and 30 days, the common practice of county organization departments."""
    return tuple(getattr(settings, "GRASSROOTS_LEADERS_TERM_REMINDER_DAYS", (180, 90, 30)))


def vetting_bodies():
    """The bodies that sign off each candidate in 资格联审 (key, label). Local practice; default (2026-12) as the
    2020/2021 换届 notices listed them: discipline, political-legal/police, petitions, plus civil affairs and
    the court."""
    return list(getattr(settings, "GRASSROOTS_LEADERS_VETTING_BODIES", [
        ("discipline", "纪检监察"), ("police", "政法/公安"), ("petition", "信访"), ("civil", "民政"), ("court", "法院"),
    ]))


def negative_list():
    """The negative list (负面清单): a hit on any item bars nomination. Default (2026-12) from the 2021 换届
    notices of the Central Organization Department and Ministry of Civil Affairs ("不能、不宜" lists)."""
    return list(getattr(settings, "GRASSROOTS_LEADERS_NEGATIVE_LIST", [
        ("criminal", "受过刑事处罚、存在“村霸”和涉黑涉恶涉邪教问题"),
        ("discipline", "受到党纪政务处分尚未超过影响期"),
        ("corruption", "涉嫌违纪违法正在接受审查调查"),
        ("petition", "组织、煽动、参与非法上访、聚众闹事"),
        ("credit", "被列为失信被执行人"),
        ("election", "在选举中有贿选、拉票等违规行为"),
        ("other", "其他不宜提名的情形"),
    ]))


# Election validity (村民委员会组织法 on villagers' committee elections): an election is valid when more than half of
# the registered voters vote, and a candidate is elected with more than half of the votes of those who voted.
def turnout_valid(ballots_cast, roll_size):
    return 2 * ballots_cast > roll_size


def elected(votes, ballots_cast):
    """More than half of the ballots cast (strictly), integers only."""
    return 2 * votes > ballots_cast


def count_error(ballots_cast, roll_size, votes_by_candidate, seats):
    """The checks of a vote count against the frozen roll, in Chinese; None when the count is consistent."""
    if ballots_cast < 0:
        return "投票人数不能为负数"
    if ballots_cast > roll_size:
        return f"投票人数 {ballots_cast} 超过冻结的选民名单 {roll_size} 人"
    for name, votes in votes_by_candidate.items():
        if votes < 0:
            return f"{name} 的得票数不能为负数"
        if votes > ballots_cast:
            return f"{name} 的得票数 {votes} 超过投票人数 {ballots_cast}"
    if sum(votes_by_candidate.values()) > ballots_cast * seats:
        return f"得票总数超过投票人数 × 应选名额（{ballots_cast} × {seats}）"
    return None


def roll_hash(voter_hashes):
    """SHA-256 over the sorted voter keys, one a line (as Helios fingerprints its voter list)."""
    return hashlib.sha256("\n".join(sorted(voter_hashes)).encode()).hexdigest()


def reserves_per_village():
    """Reserves each village should keep. Default (2026-12) 2: one per key post (书记, 主任), the 1:1 ratio of the
    2019 村党组织书记后备力量 practice; a setting for places that ask for 1:2."""
    return getattr(settings, "GRASSROOTS_LEADERS_RESERVES_PER_VILLAGE", 2)


def training_hours_min():
    """Training hours each secretary and reserve should have in a year. Default (2026-12) 32: 党员教育管理工作条例
    (2019) asks at least 32 class hours of concentrated training a year for members; a local setting."""
    return getattr(settings, "GRASSROOTS_LEADERS_TRAINING_HOURS_MIN", 32)


def career_years():
    """Years as secretary for the career lists (township posts, civil service, institutions). Default (2026-12) 3:
    the 2019 条例 and provincial notices use "任职满3年（一届以上）、表现优秀"."""
    return getattr(settings, "GRASSROOTS_LEADERS_CAREER_YEARS", 3)


def career_max_age():
    """Age limit of the township-post list. Default (2026-12) 45, common in provincial recruitment notices."""
    return getattr(settings, "GRASSROOTS_LEADERS_CAREER_MAX_AGE", 45)


def consecutive_incompetent(grades_by_year):
    """Whether two consecutive years are 不称职 ({year: grade})."""
    years = sorted(y for y, g in grades_by_year.items() if g == "incompetent")
    return any(b == a + 1 for a, b in zip(years, years[1:], strict=False))


# The grade set of the cadres' 民主评议 on a ballots.Round, and how a cadre's grade follows from the votes.
GRADE_SET = [
    {"key": "excellent", "label": "优秀", "score": 100}, {"key": "competent", "label": "称职", "score": 80},
    {"key": "basic", "label": "基本称职", "score": 60}, {"key": "incompetent", "label": "不称职", "score": 0},
]


def incompetent_share():
    """(numerator, denominator): a cadre with more than this share of 不称职 votes is graded 不称职. Default (2026-12)
    one third, the common rule of county 村干部民主评议 measures; a setting."""
    return tuple(getattr(settings, "GRASSROOTS_LEADERS_INCOMPETENT_SHARE", (1, 3)))


def grade_from_counts(counts):
    """The grade of one cadre from {grade_key: votes}: 不称职 above the share; otherwise the grade with most votes,
    a tie going to the lower grade. None when nobody voted."""
    total = sum(counts.values())
    if not total:
        return None
    num, den = incompetent_share()
    if den * counts.get("incompetent", 0) > num * total:
        return "incompetent"
    order = [g["key"] for g in GRADE_SET]
    return max(order, key=lambda k: (counts.get(k, 0), order.index(k)))
