"""Read-side of supervision: counts in SQL for the lists, the completion table of a notice, overdue tasks rolled
up to the children of an organization, and an organization's problem / responsibility / rectification lists."""

from django.db.models import Count, Prefetch, Q

from grassroots.orgs.models import Organization
from grassroots.tracking import queries as tracking_queries
from grassroots.tracking.choices import TaskState

from .choices import FindingState, InterventionKind, InterventionState
from .models import Finding, Intervention, Receipt


def notices_with_counts(notices, today):
    return notices.select_related("org").annotate(
        n_receipts=Count("receipts", distinct=True),
        n_signed=Count("receipts", filter=Q(receipts__signed_at__isnull=False), distinct=True),
        n_done=Count("receipts", filter=Q(receipts__task__state=TaskState.DONE), distinct=True),
        n_feedback=Count("receipts", filter=Q(receipts__feedback_on__isnull=False), distinct=True),
    ).order_by("-issued_on", "-id")


def receipt_status(receipt, notice, today):
    if receipt.signed_at is None:
        return "overdue" if notice.receipt_due < today else "waiting"
    return "late" if receipt.signed_late() else "signed"


def completion_summary(receipts, notice, today):
    """Counts for the completion table and its chart: receipts signed (on time, late), not signed (overdue,
    waiting), feedback given, measures signed off."""
    counts = {"signed": 0, "late": 0, "overdue": 0, "waiting": 0}
    feedback = done = 0
    for r in receipts:
        r.status = receipt_status(r, notice, today)
        counts[r.status] += 1
        feedback += bool(r.feedback_on)
        done += bool(r.task and r.task.state == TaskState.DONE)
    total = len(receipts)
    labels = {"signed": "按时签收", "late": "逾期签收", "overdue": "逾期未签收", "waiting": "待签收"}
    return {
        "total": total, **counts, "feedback": feedback, "done": done,
        "signed_share": round(100 * (counts["signed"] + counts["late"]) / total) if total else 0,
        "chart": {"labels": [labels[k] for k in labels], "values": [counts[k] for k in labels],
                  "bars": ["已签收", "已反馈", "已办结"], "bar_values": [counts["signed"] + counts["late"], feedback, done], "total": total},
    }


def overdue_by_child(org, today):
    """[(child organization, overdue tracking tasks inside its subtree)] for `org`'s direct children, and the total."""
    counts = tracking_queries.overdue_counts([org.path], today)
    paths = dict(Organization.objects.filter(pk__in=counts).values_list("pk", "path"))
    children = list(Organization.objects.get_children(org).order_by("path"))
    rows = []
    for child in children:
        n = sum(c for pk, c in counts.items() if paths.get(pk, "").startswith(child.path))
        if n:
            rows.append((child, n))
    return {"rows": rows, "total": sum(counts.values())}


def org_lists(user, org):
    """The organization's supervision history: findings (问题清单) with their responsible persons (责任清单) and
    follow-ups, the 限期整改 orders (整改清单), and the notices it received."""
    from grassroots.rectification.models import Case

    items = Intervention.objects.select_related("org", "referred_to", "rectification_case__org")
    findings = list(
        Finding.objects.visible_to(user).filter(org_path__startswith=org.path).select_related("org", "visit__group")
        .prefetch_related(Prefetch("interventions", queryset=items)).order_by("-found_on", "-id")
    )
    orders = [i for f in findings for i in f.interventions.all() if i.kind == InterventionKind.ORDER]
    others = [i for f in findings for i in f.interventions.all() if i.kind != InterventionKind.ORDER]
    responsible = [f for f in findings if f.responsible_name]
    receipts = list(Receipt.objects.visible_to(user).filter(org=org).select_related("notice", "task").order_by("-notice__issued_on")[:50])
    cases = list(Case.objects.visible_to(user).filter(org_path__startswith=org.path).select_related("org")
                 .annotate(n_orders=Count("supervision_orders")).order_by("-year", "org_path")[:50])
    return {
        "findings": findings, "orders": orders, "others": others, "responsible": responsible, "receipts": receipts, "cases": cases,
        "open_findings": sum(f.state != FindingState.CLOSED for f in findings),
        "open_orders": sum(i.state in (InterventionState.OPEN, InterventionState.REPORTED) for i in orders),
    }
