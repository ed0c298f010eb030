"""Grades, weights and follow-ups of 述职评议考核 (RULES.md: grades 好/较好/一般/差; 一般 commonly leads to a talk and
rectification, 差 to public notice and accountability; no national weighting: the live appraisal's weight, about
30–40 %, is a local setting). Every number here is a setting with a dated default."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

SCORE = Decimal("0.01")

# Default grade set of the representatives' ballot (default set 2026-12-03 from RULES.md's four grades; the scores are
# local practice: a city may change them).
DEFAULT_GRADE_SET = [
    {"key": "good", "label": "好", "score": "100"},
    {"key": "fair", "label": "较好", "score": "85"},
    {"key": "average", "label": "一般", "score": "70"},
    {"key": "poor", "label": "差", "score": "50"},
]
# The combined score's lower bound of each grade (local practice, default 2026-12-03); below the last one: 差.
DEFAULT_GRADE_FLOORS = [("good", "90"), ("fair", "80"), ("average", "60")]
# The live appraisal's share of the combined score; the rest is the superior's year-round assessment score (RULES.md:
# "about 30 to 40 %", default 35 % set 2026-12-03).
DEFAULT_LIVE_WEIGHT = "0.35"

FOLLOW_UPS = {
    "average": ("talk", "rectification"),  # 一般：约谈、限期整改
    "poor": ("notice", "accountability"),  # 差：通报、问责
}
FOLLOW_UP_LABELS = {"talk": "约谈", "rectification": "限期整改", "notice": "通报", "accountability": "问责"}


def grade_set():
    return getattr(settings, "GRASSROOTS_ASSESSMENT_GRADE_SET", DEFAULT_GRADE_SET)


def grade_floors():
    return [(k, Decimal(str(v))) for k, v in getattr(settings, "GRASSROOTS_ASSESSMENT_GRADE_FLOORS", DEFAULT_GRADE_FLOORS)]


def live_weight():
    return Decimal(str(getattr(settings, "GRASSROOTS_ASSESSMENT_LIVE_WEIGHT", DEFAULT_LIVE_WEIGHT)))


def combined(live_score, year_score, weight):
    """weight × live appraisal + (1 − weight) × year-round score, exact Decimal to 0.01 (half up). A missing part
    leaves the other one as the whole score."""
    if live_score is None and year_score is None:
        return None
    if live_score is None:
        return Decimal(year_score).quantize(SCORE, ROUND_HALF_UP)
    if year_score is None:
        return Decimal(live_score).quantize(SCORE, ROUND_HALF_UP)
    weight = Decimal(weight)
    return (weight * Decimal(live_score) + (Decimal(1) - weight) * Decimal(year_score)).quantize(SCORE, ROUND_HALF_UP)


def grade_of(score, floors=None, last="poor"):
    if score is None:
        return ""
    for key, floor in floors or grade_floors():
        if score >= floor:
            return key
    return last


def follow_ups(grade):
    return FOLLOW_UPS.get(grade, ())
