"""Timings of the read paths that matter at city scale: roll-up counts, the dashboard, tree expansion, home page,
member search.

    .venv/bin/python bench/bench.py [--scale city] [--database-url postgres://postgres@127.0.0.1:5432/grassroots_bench]
                                    [--reload] [--runs 5]

Creates the database if it is missing (PostgreSQL, trust auth), migrates, loads the synthetic dataset
when the database has no organizations (or drops and reloads it with --reload), then prints the
median of N runs in milliseconds and the number of SQL queries of each operation.
"""

import argparse
import os
import statistics
import sys
import time
import urllib.parse
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/grassroots_bench"
DISTRICT = "武进区委"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="city", choices=["demo", "city"])
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--reload", action="store_true", help="drop the database and load the dataset again")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per operation (median is shown)")
    return parser.parse_args()


# ---------------------------------------------------------------------------------------
# Database preparation (before Django starts)
# ---------------------------------------------------------------------------------------


def prepare_postgres(url, reload):
    """Create (or with reload: drop and create) the database named in `url`."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reload:
            print(f"dropping database {name}")
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            print(f"creating database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare_sqlite(url, reload):
    path = urllib.parse.urlsplit(url).path
    if reload and path and os.path.exists(path):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)


def setup_django(url):
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, when collectstatic has not run
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "grassroots.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# ---------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------


def measure(fn, runs):
    """(median ms, min ms, queries of one run, result of the last run); one warm-up run first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return statistics.median(times), min(times), len(ctx.captured_queries), result


def bench_user(username, role, org):
    """The demo account if it exists, else a bench account with the same role on `org`."""
    from grassroots.accounts.models import RoleAssignment, User

    user = User.objects.filter(username=username, is_active=True).first()
    if user and RoleAssignment.objects.active().filter(user=user, role=role, org=org).exists():
        return user
    user, _ = User.objects.get_or_create(username=f"bench_{username}", defaults={"full_name": "bench"})
    RoleAssignment.objects.get_or_create(user=user, role=role, org=org, revoked_at=None)
    return user


def get_page(client, url, **headers):
    try:
        response = client.get(url, **headers)
    except Exception as exc:  # views and templates may be mid-edit; report, don't crash
        return f"error: {type(exc).__name__}"
    return response.status_code


def main():
    args = parse_args()
    url = args.database_url
    if url.startswith("postgres"):
        prepare_postgres(url, args.reload)
    elif url.startswith("sqlite"):
        prepare_sqlite(url, args.reload)
    setup_django(url)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from grassroots.core.roles import Role
    from grassroots.dashboard.figures import dashboard_data
    from grassroots.members import stats
    from grassroots.members.models import Member
    from grassroots.orgs.models import Organization, Post

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0, interactive=False)

    load_seconds = None
    if not Organization.objects.exists():
        print(f"loading the {args.scale} dataset (seed {args.seed}) …")
        start = time.perf_counter()
        call_command("generate_dataset", scale=args.scale, seed=args.seed, logins=True)
        load_seconds = time.perf_counter() - start
    else:
        print("dataset already loaded (use --reload to drop and load it again)")

    orgs, members, posts = Organization.objects.count(), Member.objects.count(), Post.objects.count()
    root = Organization.objects.filter(depth=1).order_by("path").first()
    district = (
        Organization.objects.filter(short_name=DISTRICT).first()
        or Organization.objects.filter(depth=2).order_by("path").first()
    )
    admin = bench_user("admin", Role.ADMIN, root)
    viewers = {root.pk: bench_user("city_zzb", Role.ORG_DEPT, root), district.pk: bench_user("wujin_zzb", Role.ORG_DEPT, district)}

    admin_client = Client(raise_request_exception=False)
    admin_client.force_login(admin)

    rows = []
    for label, org in (("全市 city", root), (f"{district.short_name} district", district)):
        viewer = Client(raise_request_exception=False)
        viewer.force_login(viewers[org.pk])
        operations = [
            ("(a) subtree_counts", lambda org=org: stats.subtree_counts(org.path), None),
            ("(b) dashboard_data", lambda org=org: dashboard_data(org), None),
            (
                "(c) GET /orgs/<pk>/children/ (admin)",
                lambda org=org: get_page(admin_client, f"/orgs/{org.pk}/children/", HTTP_HX_REQUEST="true"),
                "status",
            ),
            (f"(d) GET / as {viewers[org.pk].username}", lambda viewer=viewer: get_page(viewer, "/"), "status"),
        ]
        for name, fn, kind in operations:
            median, fastest, queries, result = measure(fn, args.runs)
            status = result if kind == "status" else "ok"
            if kind == "status" and result != 200:
                status = f"HTTP {result}" if isinstance(result, int) else result
            rows.append((label, name, f"{median:.1f}", f"{fastest:.1f}", str(queries), str(status)))

    rows += member_search_rows(args, root, district, viewers)

    size = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = f", database size {cursor.fetchone()[0]}"
    print()
    print(f"dataset: {orgs:,} organizations, {members:,} members, {posts:,} posts{size}")
    print(f"load time: {load_seconds:.1f} s" if load_seconds is not None else "load time: n/a (already loaded)")
    print(f"root: {root.name} ({root.path}); district: {district.name} ({district.path}, "
          f"{Organization.objects.within(district).count():,} organizations, "
          f"{Member.objects.within_path(district.path).count():,} members)")
    print(f"median of {args.runs} runs after one warm-up, milliseconds; queries of one run")
    print()
    header = ("scope", "operation", "median ms", "min ms", "queries", "status")
    print_table(header, rows)


# ---------------------------------------------------------------------------------------
# Member search (issue 3: results under 300 ms at city scale)
# ---------------------------------------------------------------------------------------

SEARCH_LIMIT_MS = 300


def sample_id_number():
    """The ID number of a member of the dataset if it has any, else a valid made-up one (the lookup is an
    indexed equality on the keyed hash either way)."""
    from grassroots.core import crypto
    from grassroots.members.models import Member
    from grassroots.members.rules import id_check_char

    member = Member.objects.exclude(id_number_encrypted="").order_by("pk").only("id_number_encrypted").first()
    if member is not None:
        return crypto.decrypt(member.id_number_encrypted), "dataset"
    first17 = "32041219800101123"
    return first17 + id_check_char(first17), "made-up"


def member_search_rows(args, root, district, viewers):
    """Member search as the city and the district organization departments: the search function the list
    page, the API and the export share (first page of 50 and the count), and the list page itself."""
    from django.test import Client

    from grassroots.members.search import filter_members
    from grassroots.members.stats import AGE_BANDS

    number, origin = sample_id_number()
    band = next(i for i, b in enumerate(AGE_BANDS) if b[2] == "35-45岁")

    def first_page(user, params):
        def run():
            qs, _filters = filter_members(user, params)
            return qs.count(), len(list(qs[:50]))

        return run

    rows = []
    for label, org in (("全市 city", root), (f"{district.short_name} district", district)):
        user = viewers[org.pk]
        client = Client(raise_request_exception=False)
        client.force_login(user)
        within = {"within": org.pk}
        filtered = {**within, "status": "full", "gender": "female", "age": str(band)}
        operations = [
            ("(e) search name contains 华", first_page(user, {**within, "q": "华"})),
            ("(f) search initials prefix wj", first_page(user, {**within, "q": "wj"})),
            (f"(g) search full ID number ({origin})", first_page(user, {**within, "q": number})),
            ("(h) list status+gender+age band", first_page(user, filtered)),
            ("(i) list ordered by joined_on", first_page(user, {**within, "sort": "-joined_on"})),
            (
                "(j) GET /members/?<(h) filters> page",
                lambda client=client, filtered=filtered: get_page(client, "/members/?" + "&".join(f"{k}={v}" for k, v in filtered.items())),
            ),
            (
                "(k) GET /api/v1/members/?q=华",
                lambda client=client, org=org: get_page(client, f"/api/v1/members/?within={org.pk}&q=%E5%8D%8E"),
            ),
        ]
        for name, fn in operations:
            median, fastest, queries, result = measure(fn, args.runs)
            if isinstance(result, tuple):
                status = f"{result[0]:,} found"
            else:
                status = "ok" if result == 200 else (f"HTTP {result}" if isinstance(result, int) else result)
            if median > SEARCH_LIMIT_MS:
                status += f" (over {SEARCH_LIMIT_MS} ms)"
            rows.append((label, name, f"{median:.1f}", f"{fastest:.1f}", str(queries), status))
    return rows


def print_table(header, rows):
    import unicodedata

    def width(text):
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    right = {2, 3, 4}

    def fmt(row):
        cells = []
        for i, cell in enumerate(row):
            padding = " " * (widths[i] - width(cell))
            cells.append(padding + cell if i in right else cell + padding)
        return "  ".join(cells).rstrip()

    print(fmt(header))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(fmt(row))


if __name__ == "__main__":
    main()
