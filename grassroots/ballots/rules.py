"""Grade sets and pure checks of the ballot engine.

The grade names come from the texts (述职评议考核: 好/较好/一般/差; 民主评议党员: 优秀/合格/基本合格/不合格; the
cadres' annual appraisal: 优秀/称职/基本称职/不称职; satisfaction polls: 满意/基本满意/不满意). No national text gives
the grades a score: the scores below are the common 100/80/60/0 practice and are only presets; a part app passes
its own grade_set (from its settings) when a locality scores differently."""

import hashlib
from decimal import Decimal, InvalidOperation

GRADES_REVIEW = [
    {"key": "good", "label": "好", "score": "100"},
    {"key": "fairly_good", "label": "较好", "score": "80"},
    {"key": "average", "label": "一般", "score": "60"},
    {"key": "poor", "label": "差", "score": "0"},
]
GRADES_MEMBER_APPRAISAL = [
    {"key": "excellent", "label": "优秀", "score": "100"},
    {"key": "qualified", "label": "合格", "score": "80"},
    {"key": "basically_qualified", "label": "基本合格", "score": "60"},
    {"key": "unqualified", "label": "不合格", "score": "0"},
]
GRADES_CADRE = [
    {"key": "excellent", "label": "优秀", "score": "100"},
    {"key": "competent", "label": "称职", "score": "80"},
    {"key": "basically_competent", "label": "基本称职", "score": "60"},
    {"key": "incompetent", "label": "不称职", "score": "0"},
]
GRADES_SATISFACTION = [
    {"key": "satisfied", "label": "满意", "score": "100"},
    {"key": "basically_satisfied", "label": "基本满意", "score": "60"},
    {"key": "dissatisfied", "label": "不满意", "score": "0"},
]

GROUP_LABELS = {
    "representative": "评议代表", "member": "党员", "masses": "群众", "superior": "上级党组织", "cadre": "干部",
    "branch": "基层党组织", "paper": "纸质选票",
}


def group_label(group):
    return GROUP_LABELS.get(group, group)


def group_order(group):
    """Groups are shown in GROUP_LABELS' order, then by key: a round's weights are a JSON object, whose key order
    PostgreSQL's jsonb does not keep."""
    keys = list(GROUP_LABELS)
    return (keys.index(group) if group in keys else len(keys), group)


def _decimal(value):
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return result if result.is_finite() else None


def clean_grade_set(grade_set):
    """The grade set with scores as decimal strings; ValueError (Chinese) when it is not a usable set."""
    if not isinstance(grade_set, (list, tuple)) or len(grade_set) < 2:
        raise ValueError("评价等次至少要有两项")
    cleaned, keys, labels = [], set(), set()
    for g in grade_set:
        key, label = str(g.get("key", "")).strip(), str(g.get("label", "")).strip()
        score = _decimal(g.get("score"))
        if not key or not label or score is None:
            raise ValueError("每个评价等次都要有代码、名称和分值")
        if key in keys or label in labels:
            raise ValueError(f"评价等次“{label}”重复")
        keys.add(key)
        labels.add(label)
        cleaned.append({"key": key, "label": label, "score": str(score)})
    return cleaned


def clean_weights(weights):
    """{group: weight as a decimal string}; each weight above 0 and together exactly 1 ({} means no weighting)."""
    if not weights:
        return {}
    cleaned = {}
    for group, weight in dict(weights).items():
        value = _decimal(weight)
        if value is None or value <= 0:
            raise ValueError(f"“{group_label(group)}”的权重须为大于 0 的数")
        cleaned[str(group)] = str(value)
    if sum(Decimal(v) for v in cleaned.values()) != 1:
        raise ValueError("各类评议人的权重之和须等于 1")
    return cleaned


def choices_error(choices, subject_keys, grade_keys):
    """Why a ballot's choices are refused (Chinese), or None: every subject gets exactly one grade of the set."""
    if not isinstance(choices, dict):
        return "选票内容格式不正确"
    unknown = [k for k in choices if k not in subject_keys]
    if unknown:
        return "选票中有不属于本次评议的对象"
    missing = [k for k in subject_keys if not choices.get(k)]
    if missing:
        return f"还有 {len(missing)} 个评议对象未选择等次，每个对象都要评价"
    if any(v not in grade_keys for v in choices.values()):
        return "选票中有不在评价等次中的选项"
    return None


def token_hash(token):
    return hashlib.sha256((token or "").strip().encode()).hexdigest()


def roll_hash(voter_keys, paper_roll):
    """SHA-256 over the sorted voter keys and the paper ballots handed out, so a changed roll is detectable."""
    digest = hashlib.sha256()
    for key in sorted(voter_keys):
        digest.update(key.encode() + b"\n")
    for group in sorted(paper_roll):
        digest.update(f"paper:{group}:{int(paper_roll[group])}\n".encode())
    return digest.hexdigest()
