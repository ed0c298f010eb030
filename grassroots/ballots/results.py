"""The results of a round: counts per subject, grade and group (electronic + paper), turnout per group, the share
of each grade and a weighted score, in Decimal. Two GROUP BY queries and two small ones, whatever the number of
ballots.

The weighted score of a subject is the sum over groups of weight × the group's mean grade score. A group with no
vote on the subject is left out and the other weights are scaled up to sum to 1 (so a missing group neither
lowers nor raises the score); with no weights every ballot counts the same."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from . import rules
from .models import Mark, PaperCount

SHARE_PLACES = Decimal("0.0001")  # shares are fractions to 0.01 %
SCORE_PLACES = Decimal("0.01")


def _q(value, places):
    return value.quantize(places, rounding=ROUND_HALF_UP)


def share(part, whole):
    return _q(Decimal(part) / Decimal(whole), SHARE_PLACES) if whole else None


@dataclass
class GroupTurnout:
    group: str
    label: str
    roll: int
    electronic: int  # people on the roll who voted online (or by token)
    paper: int  # paper ballots counted (the largest count over subjects)
    turnout: Decimal | None  # (electronic + paper) / roll


@dataclass
class SubjectResult:
    key: str
    label: str
    counts: dict  # {group: {grade_key: n}}
    totals: dict  # {grade_key: n}, every group
    total: int
    shares: dict  # {grade_key: Decimal fraction}
    group_means: dict  # {group: Decimal mean grade score}
    score: Decimal | None
    rows: list = field(default_factory=list)  # [(grade label, n, share)] for templates


@dataclass
class Results:
    round: object
    grades: list
    groups: list  # [GroupTurnout]
    subjects: list  # [SubjectResult]
    weights: dict

    def subject(self, key):
        return next((s for s in self.subjects if s.key == key), None)

    @property
    def chart(self):
        """Data of the stacked bar chart (static ballots/results.js): subjects down, one series per grade."""
        return {
            "subjects": [s.label for s in self.subjects],
            "series": [{"name": g["label"], "data": [s.totals[g["key"]] for s in self.subjects]} for g in self.grades],
        }


def _counts(round):
    """{(subject_key, group, grade_key): n}, electronic plus paper."""
    counts = {}
    electronic = Mark.objects.filter(round=round).values_list("subject_key", "group", "grade_key").annotate(n=Count("id")).order_by()
    for subject_key, group, grade_key, n in electronic:
        counts[(subject_key, group, grade_key)] = counts.get((subject_key, group, grade_key), 0) + n
    paper = PaperCount.objects.filter(round=round).values_list("subject_key", "group", "grade_key").annotate(n=Sum("count")).order_by()
    for subject_key, group, grade_key, n in paper:
        counts[(subject_key, group, grade_key)] = counts.get((subject_key, group, grade_key), 0) + n
    return counts


def _paper_ballots(round):
    """{group: paper ballots}: the largest per-subject total of the group's paper counts."""
    per_subject = PaperCount.objects.filter(round=round).values_list("group", "subject_key").annotate(n=Sum("count")).order_by()
    result = {}
    for group, _subject, n in per_subject:
        result[group] = max(result.get(group, 0), n)
    return result


def results(round):
    from .services import roll_sizes

    grades = round.grade_set
    scores = {g["key"]: Decimal(str(g["score"])) for g in grades}
    labels = {g["key"]: g["label"] for g in grades}
    weights = {g: Decimal(w) for g, w in (round.group_weights or {}).items()}
    sizes = roll_sizes(round)
    voted = dict(round.voters.filter(voted_at__isnull=False).values_list("group").annotate(n=Count("id")).order_by())
    paper = _paper_ballots(round)
    group_keys = sorted(set(weights) | set(sizes) | set(voted) | set(paper), key=rules.group_order)
    groups = [
        GroupTurnout(g, rules.group_label(g), sizes.get(g, 0), voted.get(g, 0), paper.get(g, 0),
                     share(voted.get(g, 0) + paper.get(g, 0), sizes.get(g, 0)))
        for g in group_keys
    ]
    counts = _counts(round)
    subjects = []
    for subject in round.subjects.all():
        per_group = {g: {k: counts.get((subject.key, g, k), 0) for k in scores} for g in group_keys}
        totals = {k: sum(per_group[g][k] for g in group_keys) for k in scores}
        total = sum(totals.values())
        means = {}
        for g in group_keys:
            n = sum(per_group[g].values())
            if n:
                means[g] = _q(sum(scores[k] * c for k, c in per_group[g].items()) / n, SCORE_PLACES)
        score = _score(per_group, scores, weights, total)
        shares = {k: share(totals[k], total) for k in scores}
        rows = [(labels[k], totals[k], shares[k]) for k in scores]
        subjects.append(SubjectResult(subject.key, subject.label, per_group, totals, total, shares, means, score, rows))
    return Results(round, grades, groups, subjects, {g: str(w) for g, w in weights.items()})


def _score(per_group, scores, weights, total):
    if not total:
        return None
    if not weights:
        return _q(sum(scores[k] * c for g in per_group.values() for k, c in g.items()) / total, SCORE_PLACES)
    present = {g: w for g, w in weights.items() if sum(per_group.get(g, {}).values())}
    if not present:
        return None
    scale = sum(present.values())
    value = Decimal(0)
    for g, w in present.items():
        n = sum(per_group[g].values())
        mean = sum(scores[k] * c for k, c in per_group[g].items()) / Decimal(n)
        value += w / scale * mean
    return _q(value, SCORE_PLACES)


def share_at_least(round, subject_key, grade_keys):
    """The share (a Decimal fraction) of the subject's votes, every group, electronic and paper, whose grade is in
    `grade_keys`; e.g. satisfaction = (满意 + 基本满意) / all. None when nobody voted."""
    counts = _counts(round)
    total, hits = 0, 0
    for (s, _g, k), n in counts.items():
        if s != subject_key:
            continue
        total += n
        if k in grade_keys:
            hits += n
    return share(hits, total)
