"""Warning signal of this app (core/alerting.py): routine disclosures (党务/村务/财务公开) overdue."""

from collections import defaultdict

from django.urls import reverse

from grassroots.core.alerting import Alert

from .schedule import overdue_routine

KINDS = {"disclosure.routine_overdue": "例行公开逾期"}


def alerts(paths, today):
    per_org = defaultdict(list)
    for r in overdue_routine(paths, today):
        per_org[r["org"].pk].append(r)
    return [
        Alert(org_id, "disclosure.routine_overdue", KINDS["disclosure.routine_overdue"],
              f"{len(rows)} 期例行公开逾期（最早应于 {min(x['due_on'] for x in rows):%Y-%m-%d} 公开）", reverse("disclosure:manage_list"),
              since=min(x["due_on"] for x in rows), count=len(rows))
        for org_id, rows in per_org.items()
    ]
