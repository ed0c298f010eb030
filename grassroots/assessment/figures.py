"""The platform's own figures for a secretary's subtree, read (never written) from other apps: organizational-life
compliance (grassroots/orglife/compliance.py), members developed (members), and the warning signals every app raises
(grassroots/core/alerting.py: rectification, assistance, disclosure …)."""

from grassroots.core import alerting
from grassroots.members.models import Member
from grassroots.orglife import compliance


def collect(org, year, today):
    branches = compliance.compute(org, year, today, detail=False)
    met = sum(b.met for b in branches)
    due = sum(b.due for b in branches)
    new_members = Member.objects.filter(org_path__startswith=org.path, joined_on__year=year).count()
    labels = alerting.alert_kinds()
    signals = {}
    for alerts in alerting.collect([org.path], today).values():
        for alert in alerts:
            label = labels.get(alert.kind, alert.label)
            signals[label] = signals.get(label, 0) + 1
    return {
        "branches": len(branches), "meetings_met": met, "meetings_due": due,
        "compliance_percent": round(100 * met / due) if due else None,
        "new_members": new_members, "signals": signals,
    }


def prefill(figures, year):
    """Draft texts of 工作成效 and 存在不足 from the figures (the person edits them)."""
    percent = figures.get("compliance_percent")
    results = (f"{year}年，所属 {figures['branches']} 个党支部应开展组织生活 {figures['meetings_due']} 项，已开展 {figures['meetings_met']} 项"
               + (f"（完成率 {percent}%）" if percent is not None else "") + f"；发展党员 {figures['new_members']} 名。")
    signals = figures.get("signals") or {}
    shortcomings = ("平台预警：" + "；".join(f"{k} {v} 个" for k, v in signals.items()) + "。") if signals else "平台未发现预警事项。"
    return {"results": results, "shortcomings": shortcomings}
