"""Member development at city scale: the pipeline board's counts, the overdue list and the first page of a stage list.

    .venv/bin/python bench/bench_development.py [--database-url sqlite:///var/bench_development.sqlite3] [--applicants 60000] [--runs 5]

Uses its own scratch database (SQLite under var/ by default; any DATABASE_URL works, e.g. a PostgreSQL scratch database).
Builds a tree of 1 city, 6 districts, 8 towns each, 10 villages each, 2 branches each (960 branches), bulk-inserts the
applicants at random stages with random deadlines (no step records: the board reads only the applicants' own columns),
and prints the median time of the board for the city and for one district, the overdue count and a stage list page.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DEVELOPMENT_BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_development.sqlite3'}"))
    parser.add_argument("--applicants", type=int, default=60000)
    parser.add_argument("--runs", type=int, default=5)
    return parser.parse_args()


def create_postgres(url):
    """Create the scratch PostgreSQL database when it is missing."""
    import urllib.parse

    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    with psycopg.connect(urllib.parse.urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup(url):
    if url.startswith("postgres"):
        create_postgres(url)
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "grassroots.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(n):
    from grassroots.development.models import Applicant, Stage
    from grassroots.orgs.models import Organization

    if Applicant.objects.count() >= n:
        return
    Applicant.objects.all().delete()
    city = Organization.objects.filter(code="B0001").first()
    if city is None:
        def child(parent, **fields):
            return Organization.objects.add_child(parent, instance=Organization(**fields))

        city = Organization.objects.add_root(instance=Organization(name="基准市委", code="B0001", kind="committee", category="agency"))
        for d in range(6):
            district = child(city, name=f"基准区委{d}", code=f"B1{d:02d}", kind="committee", category="agency")
            for t in range(8):
                town = child(district, name=f"基准镇{d}-{t}", code=f"B2{d:02d}{t:02d}", kind="committee", category="agency")
                for v in range(10):
                    village = child(town, name=f"基准村{d}-{t}-{v}", code=f"B3{d:02d}{t:02d}{v:02d}", kind="committee", category="rural")
                    for b in range(2):
                        child(village, name=f"基准支部{d}-{t}-{v}-{b}", code=f"B4{d:02d}{t:02d}{v:02d}{b}", kind="branch", category="rural")
    branches = list(Organization.objects.filter(kind="branch", code__startswith="B4").values_list("id", "path"))
    rng = random.Random(2014)
    today = datetime.date.today()
    stages = [Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY, Stage.FULL]
    rows = []
    for i in range(n):
        org_id, path = rng.choice(branches)
        stage = rng.choice(stages)
        due = lambda: today + datetime.timedelta(days=rng.randint(-60, 200))  # noqa: E731
        rows.append(Applicant(
            org_id=org_id, org_path=path, rule_set="2014", name=f"申请人{i}", initials="sqr", gender="male",
            birth_date=datetime.date(1995, 1, 1), applied_on=today - datetime.timedelta(days=rng.randint(0, 1500)), stage=stage,
            talk_due_on=due() if stage == Stage.APPLICANT and rng.random() < 0.3 else None,
            review_due_on=due() if stage in (Stage.ACTIVIST, Stage.PROBATIONARY) else None,
            probation_ends_on=due() if stage == Stage.PROBATIONARY else None,
        ))
    Applicant.objects.bulk_create(rows, batch_size=2000)


def median_ms(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    args = parse_args()
    setup(args.database_url)
    build(args.applicants)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from grassroots.accounts.models import User
    from grassroots.development.views import applicants_in, board_counts, filter_applicants
    from grassroots.orgs.models import Organization

    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("bench_dev_admin", password="x-Bench-2026!")
    city = Organization.objects.get(code="B0001")
    district = Organization.objects.get(code="B100")
    today = timezone.localdate()
    for label, org in (("city", city), ("district", district)):
        with CaptureQueriesContext(connection) as ctx:
            board_counts(admin, org)
        print(f"board counts {label:8}: {median_ms(lambda org=org: board_counts(admin, org), args.runs):8.1f} ms  ({len(ctx.captured_queries)} queries)")
        print(f"overdue count {label:7}: {median_ms(lambda org=org: applicants_in(admin, org).overdue(today).count(), args.runs):8.1f} ms")
        page = lambda org=org: list(filter_applicants(applicants_in(admin, org).select_related("org"), stage="candidate")[:50])  # noqa: E731
        print(f"stage list page {label:5}: {median_ms(page, args.runs):8.1f} ms")


if __name__ == "__main__":
    main()
