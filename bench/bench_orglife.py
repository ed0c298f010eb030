"""Organizational life at city scale: a generated year of meetings and the time of the compliance matrix.

    .venv/bin/python bench/bench_orglife.py [--database-url postgres://postgres@127.0.0.1:5432/grassroots_orglife_bench]
                                            [--year 2025] [--runs 5] [--regenerate]

Uses its own scratch database (never grassroots_bench): when missing it is copied from grassroots_bench
(CREATE DATABASE ... TEMPLATE, only possible while nobody is connected to it), or else created empty and
filled with `generate_dataset --scale city`. Then it migrates, generates one year of meetings for every
branch and Party group (about 90 % of the required meetings, recorded or confirmed; no attendance rows),
and prints the median time of the compliance engine and of the matrix page for the whole city and for one
district. Targets (issue 4): under 2 s for the city, under 300 ms for a district, on PostgreSQL.
"""

import argparse
import os
import sys
import time
import urllib.parse
import warnings
from pathlib import Path

from timing import measure

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/grassroots_orglife_bench"
TEMPLATE = "grassroots_bench"
DISTRICT = "武进区委"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("ORGLIFE_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--regenerate", action="store_true", help="delete the year's meetings and generate them again")
    return parser.parse_args()


def prepare_postgres(url):
    """Create the scratch database: a copy of grassroots_bench when nobody uses it, else an empty one."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    if name == TEMPLATE:
        sys.exit("refusing to write meetings into grassroots_bench: choose a scratch database")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        has_template = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [TEMPLATE]).fetchone()
        busy = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [TEMPLATE]).fetchone()[0]
        if has_template and not busy:
            print(f"creating database {name} from {TEMPLATE}")
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(TEMPLATE)))
            return False
        print(f"creating empty database {name}")
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def setup_django(url):
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "grassroots.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def generate_meetings(year, seed):
    """One year of meetings for every branch and group (grassroots/orglife/synthetic.py), no attendance."""
    from grassroots.orglife.synthetic import generate_meetings as generate

    return generate(year, seed)[0]


def main():
    args = parse_args()
    url = args.database_url
    if not url.startswith("postgres"):
        sys.exit("this benchmark runs on PostgreSQL")
    empty = prepare_postgres(url)
    setup_django(url)

    import datetime

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from grassroots.accounts.models import RoleAssignment, User
    from grassroots.core.roles import Role
    from grassroots.orglife import compliance
    from grassroots.orglife.models import Meeting
    from grassroots.orgs.models import Organization

    print(f"database: {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0, interactive=False)
    if empty or not Organization.objects.exists():
        print("loading the city dataset …")
        call_command("generate_dataset", scale="city", seed=2014)

    tz = timezone.get_current_timezone()
    year_qs = Meeting.objects.filter(
        starts_at__gte=datetime.datetime(args.year, 1, 1, tzinfo=tz), starts_at__lt=datetime.datetime(args.year + 1, 1, 1, tzinfo=tz)
    )
    if args.regenerate:
        year_qs._raw_delete(year_qs.db)
    if not year_qs.exists():
        start = time.perf_counter()
        n = generate_meetings(args.year, args.seed)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE orglife_meeting")
        print(f"generated {n:,} meetings for {args.year} in {time.perf_counter() - start:.1f} s")

    root = Organization.objects.filter(depth=1).order_by("path").first()
    district = Organization.objects.filter(short_name=DISTRICT).first() or Organization.objects.filter(depth=2).order_by("path").first()
    user, _ = User.objects.get_or_create(username="bench_orglife", defaults={"full_name": "bench"})
    RoleAssignment.objects.get_or_create(user=user, role=Role.ADMIN, org=root, revoked_at=None)
    client = Client()
    client.force_login(user)

    for url in (f"/orglife/compliance/{root.pk}/?year={args.year}", f"/orglife/compliance/{district.pk}/?year={args.year}",
                f"/api/v1/orglife/compliance/{root.pk}?year={args.year}"):
        status = client.get(url).status_code
        if status != 200:
            sys.exit(f"{url} answered HTTP {status}")
    today = datetime.date(args.year + 1, 1, 15)  # the year is over: every period is due
    rows = []
    for label, org in (("全市 city", root), (f"{district.short_name} district", district)):
        branches = len(compliance.compute(org, args.year, today=today))
        for name, fn in (
            ("compliance.compute (every item)", lambda org=org: compliance.compute(org, args.year, today=today)),
            ("compliance.compute (counts only)", lambda org=org: compliance.compute(org, args.year, today=today, detail=False)),
            ("GET /orglife/compliance/<pk>/ (month)", lambda org=org: client.get(f"/orglife/compliance/{org.pk}/?year={args.year}")),
            ("GET /api/v1/orglife/compliance/<pk>", lambda org=org: client.get(f"/api/v1/orglife/compliance/{org.pk}?year={args.year}")),
        ):
            median, fastest, queries = measure(fn, args.runs)
            rows.append((label, f"{branches:,}", name, f"{median:.0f}", f"{fastest:.0f}", str(queries)))
    print(f"meetings in {args.year}: {year_qs.count():,}; median of {args.runs} runs after a warm-up, milliseconds")
    header = ("scope", "branches", "operation", "median ms", "min ms", "queries")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))


if __name__ == "__main__":
    main()
