"""Rules of the organization tree (Party Constitution; 中国共产党支部工作条例（试行）, 2018).

Pure checks: each returns a Chinese message when the rule is broken, or None.
"""

from .choices import BRANCH_KINDS, Kind

# 农村基层组织工作条例 (2019) art. 7 and 城市社区 practice: village and community organizations serve 5 years;
# other branches generally 3 years (支部工作条例 art. 9).
TERM_YEARS_VILLAGE_COMMUNITY = 5
TERM_YEARS_OTHER = 3


def child_kind_error(parent_kind, child_kind):
    """A Party group only under a branch; nothing under a Party group."""
    if parent_kind == Kind.GROUP:
        return "党小组下不能再设立党组织"
    if child_kind == Kind.GROUP and parent_kind not in BRANCH_KINDS:
        return "党小组只能设在党支部（含联合党支部、临时党支部）之下"
    return None


def root_kind_error(kind):
    """A top-level organization cannot be a Party group (a group needs its branch)."""
    if kind == Kind.GROUP:
        return "党小组不能作为顶层组织"
    return None


def move_error(node_path, target_path):
    """No cycles: a node cannot move under itself or under one of its descendants."""
    if target_path.startswith(node_path):
        return "不能把党组织移动到它自己或它的下级组织之下"
    return None


def term_error(term_start, term_end):
    if term_start and term_end and term_end <= term_start:
        return "届满日期必须晚于本届任期开始日期"
    return None


def default_term_years(category):
    from .choices import Category

    if category in (Category.RURAL, Category.COMMUNITY):
        return TERM_YEARS_VILLAGE_COMMUNITY
    return TERM_YEARS_OTHER
