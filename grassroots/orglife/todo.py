"""This app's lines in the home page's to-do panel (grassroots/core/todos.py)."""

from django.urls import reverse

from grassroots.core.todos import Todo

from . import compliance, rules


def lines(user, org, today):
    gaps = compliance.committee_gaps(org.path, today)
    missing = sum(1 for g in gaps if g.gap == rules.COMMITTEE_MISSING)
    return [
        Todo("组织生活", "连续六个月未参加组织生活的党员", compliance.six_month_absentees(org.path, today).count(),
             reverse("orglife:six_months", args=[org.pk])),
        Todo("组织设置", f"正式党员{rules.COMMITTEE_FULL_MEMBERS}人以上而未设支部委员会的党支部", missing,
             reverse("orglife:compliance", args=[org.pk])),
        Todo("组织设置", f"正式党员不足{rules.COMMITTEE_FULL_MEMBERS}人却设有支委委员的党支部", len(gaps) - missing,
             reverse("orglife:compliance", args=[org.pk])),
    ]
