"""Members behind with their dues, for this app's pages and for the other apps (talks, points).

Decision: a month counts as owed only for a member with a declaration in effect for it (a member nobody has
declared a base for is listed as 未申报 on the collection page, not as in arrears), from the month they joined.
An approved reduction or exemption is a proper reason: its months break a run of unpaid months."""

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Sum

from grassroots.accounts import scoping
from grassroots.members.models import Member

from . import rules
from .models import DuesDeclaration, DuesPayment, DuesRelief
from .services import unpaid_q


def paid_q():
    return Q(exempt=True) | (Q(paid_on__isnull=False) & Q(amount_paid__gte=F("amount_due")))


def members_unpaid_for(months, paths, today):
    """Members (a Member queryset) within the subtrees `paths` with at least `months` consecutive unpaid months up
    to the last complete month before `today`, without a proper reason (an approved reduction or exemption)."""
    last = rules.last_complete_month(today)
    first = rules.add_months(last, -(months - 1))
    declared = DuesDeclaration.objects.filter(member=OuterRef("pk"), effective_from__lte=first)
    paid = DuesPayment.objects.filter(paid_q(), member=OuterRef("pk"), month__gte=first, month__lte=last)
    relieved = DuesRelief.objects.filter(
        member=OuterRef("pk"), state=DuesRelief.State.APPROVED, from_month__lte=last, to_month__gte=first
    )
    return (
        Member.objects.in_register()
        .filter(scoping.path_q("org_path", paths), joined_on__lte=rules.month_end(first))
        .filter(Exists(declared))
        .exclude(Exists(paid))
        .exclude(Exists(relieved))
    )


def arrears_list(org_path, today):
    """Members of the subtree with unpaid months up to the last complete month: rows of {member, months, amount,
    since, six_months}; one aggregate query plus one for the members and one for the six-month flags."""
    last = rules.last_complete_month(today)
    rows = list(
        DuesPayment.objects.filter(unpaid_q(), org_path__startswith=org_path, month__lte=last)
        .values("member_id")
        .annotate(months=Count("id"), amount=Sum(F("amount_due") - F("amount_paid")), since=Min("month"))
        .order_by("-months", "member_id")
    )
    six = set(members_unpaid_for(rules.SIX_MONTHS, [org_path], today).values_list("pk", flat=True))
    ids = [r["member_id"] for r in rows]
    # flagged members with months never opened (no records) are listed too, after the others
    missing = sorted(six - set(ids))
    members = {m.pk: m for m in Member.objects.filter(pk__in=ids + missing).select_related("org")}
    result = []
    for r in rows:
        m = members.get(r["member_id"])
        if m is None or m.state == "left":
            continue
        result.append({"member": m, "months": r["months"], "amount": rules.money(r["amount"]), "since": r["since"], "six_months": m.pk in six})
    for pk in missing:
        result.append({"member": members[pk], "months": None, "amount": None, "since": None, "six_months": True})
    return result
