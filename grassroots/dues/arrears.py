"""Members behind with their dues, for this app's pages and for the other apps (talks, points).

Decision: a month counts as owed only for a member with a declaration in effect for it (a member nobody has
declared a base for is listed as 未申报 on the collection page, not as in arrears), from the month they joined.
An approved reduction or exemption is a proper reason: its months break a run of unpaid months."""

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Sum

from grassroots.core import scoping
from grassroots.members.choices import OFF_REGISTER
from grassroots.members.models import Member

from . import rules
from .models import DuesDeclaration, DuesPayment, DuesRelief
from .services import unpaid_q


def paid_q():
    return Q(exempt=True) | (Q(paid_on__isnull=False) & Q(amount_paid__gte=F("amount_due")))


def unpaid_run_first_month(months, today):
    """The first month of the run of `months` months that `members_unpaid_for` checks: the run ends with the last
    complete month before `today`.

    Decision (issue 11): unlike the six months without organizational life, which orglife counts to the day from the
    last attendance (orglife.rules.six_months_cutoff), six months of unpaid dues are counted in calendar months. Dues
    are owed per month (关于中国共产党党费收缴、使用和管理的规定, 2008: 按月交纳), any day of the month pays it, and the
    record is one row per month: a member who paid for December and nothing since has missed January to June, six
    payments, once June is over. Counting days would flag someone whose June payment is not yet late."""
    return rules.add_months(rules.last_complete_month(today), -(months - 1))


def members_unpaid_for(months, paths, today):
    """Members (a Member queryset) within the subtrees `paths` with at least `months` consecutive unpaid months up
    to the last complete month before `today`, without a proper reason (an approved reduction or exemption).
    Calendar months: see unpaid_run_first_month."""
    last = rules.last_complete_month(today)
    first = unpaid_run_first_month(months, today)
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


def arrears_queryset(org_path, today, *, six_months=False, q=""):
    """What the arrears list pages through in SQL. By default: one row per member with unpaid records up to the
    last complete month ({member_id, months, amount, since}), most months first. With `six_months`: the members
    flagged by the Constitution's criterion (a Member queryset; months never opened count too). `q` filters on the
    name or the pinyin initials."""
    q = (q or "").strip()
    if six_months:
        qs = members_unpaid_for(rules.SIX_MONTHS, [org_path], today).order_by("org_path", "initials", "id")
        if q:
            qs = qs.filter(Q(name__contains=q) | Q(initials__startswith=q.lower()))
        return qs
    last = rules.last_complete_month(today)
    qs = DuesPayment.objects.filter(unpaid_q(), org_path__startswith=org_path, month__lte=last).exclude(member__state__in=OFF_REGISTER)
    if q:
        qs = qs.filter(Q(member__name__contains=q) | Q(member__initials__startswith=q.lower()))
    return (
        qs.values("member_id")
        .annotate(months=Count("id"), amount=Sum(F("amount_due") - F("amount_paid")), since=Min("month"))
        .order_by("-months", "member_id")
    )


def decorate(page_rows, org_path, today):
    """The rows of one page as {member, months, amount, since, six_months}: three queries whatever the page size."""
    if page_rows and isinstance(page_rows[0], Member):
        ids = [m.pk for m in page_rows]
        last = rules.last_complete_month(today)
        sums = {
            r["member_id"]: r
            for r in DuesPayment.objects.filter(unpaid_q(), member_id__in=ids, month__lte=last)
            .values("member_id").annotate(months=Count("id"), amount=Sum(F("amount_due") - F("amount_paid")), since=Min("month"))
            .order_by()
        }
        members = {m.pk: m for m in Member.objects.filter(pk__in=ids).select_related("org")}
        rows = [{"member_id": pk, **sums.get(pk, {"months": None, "amount": None, "since": None})} for pk in ids]
        six = set(ids)
    else:
        rows = list(page_rows)
        ids = [r["member_id"] for r in rows]
        members = {m.pk: m for m in Member.objects.filter(pk__in=ids).select_related("org")}
        six = set(members_unpaid_for(rules.SIX_MONTHS, [org_path], today).filter(pk__in=ids).values_list("pk", flat=True))
    return [
        {"member": members[r["member_id"]], "months": r["months"], "amount": rules.money(r["amount"]) if r["amount"] is not None else None,
         "since": r["since"], "six_months": r["member_id"] in six}
        for r in rows
    ]


def arrears_list(org_path, today, *, six_months=False):
    """The whole list at once (small subtrees and tests)."""
    qs = arrears_queryset(org_path, today, six_months=six_months)
    return decorate(list(qs), org_path, today)
