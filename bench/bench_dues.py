"""Party dues and points at city scale: twelve months of dues records for every member of the city, and the time
of the roll-up, the six-month arrears check, the arrears list and the points recomputation.

    .venv/bin/python bench/bench_dues.py [--database-url postgres://postgres@127.0.0.1:5432/gr_dues_bench]
                                         [--year 2025] [--runs 5]

Uses its own scratch database (created empty and filled with `generate_dataset --scale city` when missing; never
grassroots_bench). Generates one declaration per member and a record for every month of the year (about 90 % paid
on time, 5 % late, 5 % unpaid, 1 % of members unpaid for the whole second half), then prints the median of `--runs`
runs after a warm-up for the whole city and one district.
"""

import argparse
import datetime
import os
import random
import sys
import time
import urllib.parse
import warnings
from decimal import Decimal
from pathlib import Path

from timing import measure

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gr_dues_bench"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DUES_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=5)
    return parser.parse_args()


def prepare_postgres(url):
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    if name == "grassroots_bench":
        sys.exit("choose a scratch database, not grassroots_bench")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        print(f"creating empty database {name}")
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(url):
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "grassroots.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def generate(year):
    """One declaration per member and twelve month records, bulk-inserted."""
    from grassroots.dues import rules
    from grassroots.dues.models import DuesDeclaration, DuesPayment
    from grassroots.members.models import Member
    from grassroots.orgs.models import Organization

    rng = random.Random(year)
    parents = dict(Organization.objects.filter(kind="group").values_list("path", "id"))
    by_path = dict(Organization.objects.values_list("path", "id"))
    declarations, payments, n = [], [], 0
    start = datetime.date(year, 1, 1)
    for pk, path, joined in Member.objects.in_register().values_list("id", "org_path", "joined_on").iterator(chunk_size=5000):
        branch_path = path[:-4] if path in parents else path
        branch_id = by_path[branch_path]
        base = Decimal(rng.randrange(2500, 12500, 10))
        amount = rules.monthly_amount("employed", base, day=start)
        first = max(start, rules.first_due_month(joined))
        if first.year > year:
            continue
        declarations.append(DuesDeclaration(member_id=pk, org_id=branch_id, org_path=branch_path, year=year, category="employed", base=base,
                                            amount=amount, effective_from=first, declared_on=first))
        stops = rng.random() < 0.01
        for m in range(first.month, 13):
            month = datetime.date(year, m, 1)
            roll = rng.random()
            unpaid = (stops and m >= 7) or roll < 0.05
            paid_on = None if unpaid else month + datetime.timedelta(days=rng.randint(0, 27) + (35 if roll < 0.10 else 0))
            payments.append(DuesPayment(member_id=pk, org_id=branch_id, org_path=branch_path, month=month, amount_due=amount,
                                        amount_paid=0 if unpaid else amount, paid_on=paid_on))
        n += 1
        if len(payments) > 50_000:
            DuesDeclaration.objects.bulk_create(declarations, batch_size=5000)
            DuesPayment.objects.bulk_create(payments, batch_size=5000)
            declarations, payments = [], []
    DuesDeclaration.objects.bulk_create(declarations, batch_size=5000)
    DuesPayment.objects.bulk_create(payments, batch_size=5000)
    return n


def main():
    args = parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("this benchmark runs on PostgreSQL")
    prepare_postgres(args.database_url)
    setup_django(args.database_url)

    from django.core.management import call_command
    from django.db import connection

    from grassroots.dues import arrears, stats
    from grassroots.dues.models import DuesPayment
    from grassroots.members.models import Member
    from grassroots.orgs.models import Organization
    from grassroots.points import services as points

    print(f"database: {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0, interactive=False)
    if not Organization.objects.exists():
        print("loading the city dataset …")
        call_command("generate_dataset", scale="city", seed=2014)
    if not DuesPayment.objects.filter(month__year=args.year).exists():
        started = time.perf_counter()
        n = generate(args.year)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE dues_duespayment")
            cursor.execute("ANALYZE dues_duesdeclaration")
        print(f"generated dues for {n:,} members in {time.perf_counter() - started:.1f} s")
    root = Organization.objects.filter(depth=1).order_by("path").first()
    district = Organization.objects.filter(short_name="武进区委").first() or Organization.objects.filter(depth=2).order_by("path").first()
    town = Organization.objects.children_of(district).order_by("path").first()
    today = datetime.date(args.year + 1, 1, 15)
    from django.test import Client

    from grassroots.accounts.models import RoleAssignment, User
    from grassroots.core.roles import Role

    user, _ = User.objects.get_or_create(username="bench_dues", defaults={"full_name": "bench"})
    RoleAssignment.objects.get_or_create(user=user, role=Role.ADMIN, org=root, revoked_at=None)
    client = Client()
    client.force_login(user)
    rows = []
    for label, org in (("全市 city", root), (f"{district.short_name} district", district), (f"{town.short_name or town.name} town", town)):
        members = Member.objects.in_register().filter(org_path__startswith=org.path).count()
        ops = [
            ("stats.summary (year, children)", lambda org=org: stats.summary(org, args.year, today)),
            ("stats.monthly (chart)", lambda org=org: stats.monthly(org, args.year, today)),
            ("members_unpaid_for(6).count()", lambda org=org: arrears.members_unpaid_for(6, [org.path], today).count()),
            ("arrears page 1 (50 rows)", lambda org=org: arrears.decorate(list(arrears.arrears_queryset(org.path, today)[:50]), org.path, today)),
            ("arrears count", lambda org=org: arrears.arrears_queryset(org.path, today).count()),
            ("six-month page 1 (50 rows)", lambda org=org: arrears.decorate(
                list(arrears.arrears_queryset(org.path, today, six_months=True)[:50]), org.path, today)),
        ]
        ops.append(("GET /dues/org/<pk>/ (summary page)", lambda org=org: client.get(f"/dues/org/{org.pk}/?year={args.year}")))
        if org is town:
            ops.append(("recompute_points (rerun)", lambda org=org: points.recompute_points(org, args.year, today=today)))
        for name, fn in ops:
            median, fastest, queries = measure(fn, args.runs)
            rows.append((label, f"{members:,}", name, f"{median:.0f}", f"{fastest:.0f}", str(queries)))
    print(f"dues records in {args.year}: {DuesPayment.objects.filter(month__year=args.year).count():,}; median of {args.runs} runs, ms")
    header = ("scope", "members", "operation", "median ms", "min ms", "queries")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))


if __name__ == "__main__":
    main()
