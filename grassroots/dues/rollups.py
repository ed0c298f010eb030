"""The dues figures kept for the city, the districts and the townships (grassroots/orgs/summaries.py).

- `dues.year` (key: the year): what was due and paid, in fen, over the months of the year up to the current one,
  in all (`due`, `paid`) and month by month (`due:<m>`, `paid:<m>`), with the number of records and of unpaid
  ones: the roll-up page's table and chart.
- `dues.records`: the number of dues records of all months, for the count of the API's record list.
- `dues.six_months`: members unpaid for six months in a row without a proper reason (arrears.members_unpaid_for,
  党章 art. 9), for the roll-up page's warning.

Records and declarations are written through dues.services; the writes that bypass model signals there (bulk
creation of a month's records and of carried-over declarations, a relief applied to open months) call
summaries.touch themselves.
"""

from django.db.models import Count, Sum
from django.db.models.functions import Substr

from grassroots.members.models import Member
from grassroots.orgs.models import Organization
from grassroots.orgs.summaries import Rollup, own_path

from . import arrears, rules
from .models import DuesDeclaration, DuesPayment, DuesRelief
from .services import unpaid_q

YEAR = "dues.year"
RECORDS = "dues.records"
SIX_MONTHS = "dues.six_months"


def fen(amount):
    return int(round((amount or 0) * 100))


def _prefix(path):
    return Substr("org_path", 1, len(path) + Organization.steplen)


def year_by_prefix(path, today, key, direct=False):
    import datetime

    year = int(key)
    last = min(datetime.date(year, 12, 1), rules.month_start(today))
    qs = DuesPayment.objects.filter(month__gte=datetime.date(year, 1, 1), month__lte=last)
    qs = qs.filter(org_path=path) if direct else qs.filter(org_path__startswith=path)
    rows = (
        qs.order_by().annotate(prefix=_prefix(path)).values("prefix", "month")
        .annotate(due=Sum("amount_due"), paid=Sum("amount_paid"), records=Count("id"), unpaid=Count("id", filter=unpaid_q()))
    )
    result = {}
    for r in rows:
        v = result.setdefault(r["prefix"], {"due": 0, "paid": 0, "records": 0, "unpaid_records": 0})
        due, paid = fen(r["due"]), fen(r["paid"])
        v["due"] += due
        v["paid"] += paid
        v["records"] += r["records"]
        v["unpaid_records"] += r["unpaid"]
        v[f"due:{r['month'].month}"] = v.get(f"due:{r['month'].month}", 0) + due
        v[f"paid:{r['month'].month}"] = v.get(f"paid:{r['month'].month}", 0) + paid
    return result


def records_by_prefix(path, today, key="", direct=False):
    qs = DuesPayment.objects.filter(org_path=path) if direct else DuesPayment.objects.filter(org_path__startswith=path)
    return {r["prefix"]: {"records": r["n"]} for r in qs.order_by().annotate(prefix=_prefix(path)).values("prefix").annotate(n=Count("id"))}


def six_months_by_prefix(path, today, key="", direct=False):
    qs = arrears.members_unpaid_for(rules.SIX_MONTHS, [path], today)
    if direct:
        qs = qs.filter(org_path=path)
    rows = qs.order_by().annotate(prefix=_prefix(path)).values("prefix").annotate(n=Count("id"))
    return {r["prefix"]: {"members": r["n"]} for r in rows}


ROLLUPS = [
    Rollup(YEAR, "党费应交、实交（按年）", by_prefix=year_by_prefix, sources=((DuesPayment, own_path),)),
    Rollup(RECORDS, "党费收缴记录条数", by_prefix=records_by_prefix, sources=((DuesPayment, own_path),)),
    Rollup(SIX_MONTHS, "连续6个月未交党费的党员", by_prefix=six_months_by_prefix, sources=(
        (DuesPayment, own_path), (DuesDeclaration, own_path), (DuesRelief, own_path), (Member, Member.recount_paths),
    )),
]


