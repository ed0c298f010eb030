"""Warning signals about organizations, gathered from every app. Each app that can tell something is wrong
with an organization says so in its own `alerts.py`:

    from grassroots.core.alerting import Alert

    def alerts(paths, today):
        # one or a few SQL queries over the subtrees `paths`; one Alert per organization and signal
        return [Alert(org_id=..., kind="orglife.committee_missing", label="正式党员7人以上未设支部委员会",
                      evidence="正式党员 9 名，无支委委员", url="/orglife/compliance/12/", since=date)]

Rectification's screening (摸底排查) and the supervision pages read them through `collect`; core imports no app.
`kind` is "<app>.<signal>" and is what a screening rule set refers to.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from .registry import app_modules


@dataclass(frozen=True)
class Alert:
    org_id: int
    kind: str  # "<app>.<signal>", stable: rule sets name it
    label: str  # what is wrong, in Chinese
    evidence: str  # the figures behind it, in Chinese (e.g. "书记空缺 124 天（自 2026-07-01）")
    url: str = ""  # the page that shows the evidence
    since: datetime.date | None = None
    count: int = 1  # how many (members, months, matters …) when the signal is a number


def alert_kinds():
    """Every signal kind the installed apps can raise: {kind: label}, from each alerts.py's KINDS."""
    kinds = {}
    for _, module in app_modules("alerts"):
        kinds.update(getattr(module, "KINDS", {}))
    return kinds


def collect(paths, today, kinds=None):
    """{org_id: [Alert, …]} for the organizations inside the subtrees `paths`, from every app's alerts.py
    (only the `kinds` asked for, when given)."""
    found = defaultdict(list)
    for _, module in app_modules("alerts"):
        for alert in module.alerts(paths, today):
            if kinds is None or alert.kind in kinds:
                found[alert.org_id].append(alert)
    return dict(found)
