"""A kind of problem the data-quality audit (quality.py) counts and lists. Other apps add kinds from their own
`quality_checks.py` (grassroots/orglife/quality_checks.py)."""

import dataclasses
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class Problem:
    key: str
    label: str  # the report's row heading
    short: str  # column heading in the per-child table
    hint: str  # what to do about it
    condition: Callable | None  # today -> Q; None while the data it needs does not exist yet
    pending: str = ""  # shown instead of a count when not computed
    in_total: bool = True  # counted in "members with problems"
    per_branch: bool = False  # a gap of the member's branch, found for the whole subtree (subtree_conditions)

    @property
    def computed(self):
        return self.condition is not None
