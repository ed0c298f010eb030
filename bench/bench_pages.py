"""p50/p95 of every menu page at city scale, for three roles, and the raw-SQL ratio of the heaviest roll-ups.

    .venv/bin/python bench/bench_pages.py [--database-url postgres://postgres@127.0.0.1:5432/grassroots_bench]
                                          [--runs 20] [--activity] [--only SUBSTRING]

The database must hold the city dataset (`manage.py generate_dataset --scale city --logins`; bench/bench.py
creates grassroots_bench that way). With `--activity` (once; refused on grassroots_bench, which other benches read
as the bare dataset) this year's meetings up to today are added for every branch and group, one attendance as present
for nine members in ten at a theme day of their branch, and a year of dues records (bench_dues.generate), so that the
orglife, talks, dues and points pages have something to count.

For the city's organization department (city_zzb), a district's (wujin_zzb) and a branch secretary (branch_a_sj), it
requests every menu entry the role is shown (grassroots.core.navigation.all_items(), the menu as data; the URL names
of templates/base.html when that module is missing), the home page's to-do panel (loaded by the page after itself) and
every API list without a path parameter (files to download left out), with the role's scope, `--runs` times after
one warm-up, and prints p50 and p95 in milliseconds with the SQL queries of one request. Goal (issue 11): p95 <= 150 ms.

Then for the three heaviest whole-city roll-ups it times the platform's function and the equivalent hand-written
SQL aggregate and prints their ratio. Goal: within 1.5x of raw SQL.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/grassroots_bench"
GOAL_P95_MS = 150
GOAL_RATIO = 1.5
# base.html's menu before it became data (issue 11: "use the URL names from templates/base.html")
FALLBACK_URL_NAMES = [
    "core:home", "members:list", "members:quality", "members:statistics", "orgs:tree", "orglife:meeting_list",
    "orglife:compliance_home", "orglife:appraisal_list", "development:board", "relations:transfer_list", "relations:floating_list",
    "relations:lost_list", "dues:home", "points:home", "talks:worklist", "talks:list", "decisions:list", "disclosure:list",
    "core:notifications", "core:audit_log",
]
ROLES = [("city_zzb", "全市组织部"), ("wujin_zzb", "区委组织部"), ("branch_a_sj", "支部书记")]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--activity", action="store_true", help="add this year's meetings, attendance and dues first")
    parser.add_argument("--only", default="", help="only pages whose URL name contains this")
    parser.add_argument("--no-rollups", action="store_true")
    return parser.parse_args()


def setup_django(url):
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "grassroots.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def timed(fn, runs):
    """(p50 ms, p95 ms, queries of one run, result of the last run) after one warm-up run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return statistics.median(times), percentile(times, 95), len(ctx.captured_queries), result


# ---------------------------------------------------------------------------------------
# Activity: meetings, attendance, dues
# ---------------------------------------------------------------------------------------


def add_activity():
    """Each part only when its table is still empty for this year, so an interrupted load can be resumed."""
    from django.db import connection
    from django.utils import timezone

    from grassroots.dues.models import DuesPayment
    from grassroots.orglife.models import Attendance, Meeting
    from grassroots.orglife.synthetic import generate_meetings

    today = timezone.localdate()
    if not Meeting.objects.filter(month__gte=today.year * 100 + 1).exists():
        start = time.perf_counter()
        meetings, _rows = generate_meetings(today.year, 2018, through=today)
        print(f"meetings: {meetings:,} ({time.perf_counter() - start:.1f} s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE orglife_meeting")  # without fresh statistics the join below runs for hours
    if not Attendance.objects.exists():
        start = time.perf_counter()
        with connection.cursor() as cursor:
            # nine members in ten were present once at a theme day of their branch, in a month spread over the year so far
            cursor.execute(
                """
                INSERT INTO orglife_attendance (meeting_id, member_id, status, leave_reason, as_ordinary_member)
                SELECT mt.id, m.id, 'present', '', false
                FROM members_member m
                JOIN orgs_organization o ON o.id = m.org_id
                JOIN orglife_meeting mt ON mt.kind = 'theme_day'
                     AND mt.org_path = CASE WHEN o.kind = 'group' THEN left(m.org_path, length(m.org_path) - 4) ELSE m.org_path END
                     AND mt.month = %s + 1 + (m.id %% %s)
                WHERE m.id %% 10 <> 0
                """,
                [today.year * 100, max(today.month - 1, 1)],
            )
            print(f"attendance rows: {cursor.rowcount:,} ({time.perf_counter() - start:.1f} s)")
            cursor.execute("ANALYZE orglife_attendance")
    if not DuesPayment.objects.exists():
        from bench_dues import generate

        start = time.perf_counter()
        n = generate(today.year)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE dues_duespayment; ANALYZE dues_duesdeclaration")
        print(f"dues: {n:,} members with a year of records ({time.perf_counter() - start:.1f} s)")


# ---------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------


def menu_url_names(user):
    try:
        from grassroots.core.navigation import all_items
    except ImportError:
        return [(name, name) for name in FALLBACK_URL_NAMES]
    return [(item.url_name, item.label) for item in all_items() if item.show(user)]


# Fragments a menu page loads after itself (the home page's to-do panel), measured as pages of their own.
FRAGMENT_URL_NAMES = [("dashboard:home_todo", "首页待办（页面加载后）")]
# API lists that take no path parameter, except the file downloads (export, import template).
API_SKIP = ("/export", "/import-template")


def api_list_paths():
    from grassroots.api import api

    schema = api.get_openapi_schema()
    return [p for p, ops in schema["paths"].items() if "get" in ops and "{" not in p and not p.endswith(API_SKIP)]


def page_rows(args):
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from grassroots.accounts.models import User

    rows = []
    for username, role_label in ROLES:
        user = User.objects.filter(username=username).first()
        if user is None:
            print(f"no account {username}: load the dataset with --logins")
            continue
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for url_name, label in [*menu_url_names(user), *FRAGMENT_URL_NAMES, *[(p, "API") for p in api_list_paths()]]:
            if args.only and args.only not in url_name:
                continue
            try:
                url = url_name if url_name.startswith("/") else reverse(url_name)
            except NoReverseMatch:
                continue
            if url_name.startswith("admin:") or "openapi" in url_name:
                continue

            def get(url=url, client=client):
                response = client.get(url)
                if response.status_code == 302:  # a home page that sends the role to its own organization
                    response = client.get(response.url)
                return response.status_code

            try:
                p50, p95, queries, status = timed(get, args.runs)
            except Exception as exc:  # a page mid-edit by someone else: report, don't stop
                rows.append((role_label, f"{label} ({url_name})", "-", "-", "-", f"error {type(exc).__name__}"))
                continue
            flag = "" if p95 <= GOAL_P95_MS else " > goal"
            rows.append((role_label, f"{label} ({url_name})", f"{p50:.0f}", f"{p95:.0f}{flag}", str(queries), str(status)))
    return rows


# ---------------------------------------------------------------------------------------
# Roll-ups against raw SQL
# ---------------------------------------------------------------------------------------


def raw(sql, params):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def rollup_rows(args, root):
    """The three heaviest whole-city roll-ups, each against hand-written SQL giving the same numbers: the member
    counts (members.stats.subtree_counts, on the home page and the statistics), the dues roll-up per child
    (dues.stats.summary, the dues page), and the six-month count (orglife.compliance.six_month_absentees, the home
    panel and the six-month list)."""
    from django.utils import timezone

    from grassroots.dues import stats as dues_stats
    from grassroots.members import stats as member_stats
    from grassroots.members.stats import years_ago
    from grassroots.orglife import compliance

    today = timezone.localdate()
    like = root.path + "%"
    first, _ = compliance.six_month_period(today)
    first_at = datetime.datetime.combine(first, datetime.time(), tzinfo=timezone.get_current_timezone())
    end_at = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(), tzinfo=timezone.get_current_timezone())
    off = "('left', 'transferred_out')"
    cases = [
        (
            "member counts (subtree_counts)",
            lambda: member_stats.subtree_counts(root.path, today),
            raw(
                "SELECT count(*), count(*) FILTER (WHERE status = 'probationary'), count(*) FILTER (WHERE status = 'full'), "
                "count(*) FILTER (WHERE gender = 'female'), count(*) FILTER (WHERE ethnicity <> '01'), "
                f"count(*) FILTER (WHERE birth_date > %s) FROM members_member WHERE org_path LIKE %s AND state NOT IN {off}",
                [years_ago(today, 35), like],
            ),
        ),
        (
            "dues per child (dues.stats.summary)",
            lambda: dues_stats.summary(root, today.year, today),
            raw(
                "SELECT left(org_path, %s), sum(amount_due), sum(amount_paid), count(*), "
                "count(*) FILTER (WHERE NOT exempt AND (paid_on IS NULL OR amount_paid < amount_due)) FROM dues_duespayment "
                "WHERE org_path LIKE %s AND month >= %s AND month <= %s GROUP BY 1",
                [len(root.path) + 4, like, datetime.date(today.year, 1, 1), datetime.date(today.year, today.month, 1)],
            ),
        ),
        (
            "six-month count (six_month_absentees)",
            lambda: compliance.six_month_absentees(root.path, today).count(),
            raw(
                f"SELECT count(*) FROM members_member m WHERE m.org_path LIKE %s AND m.state NOT IN {off} AND m.joined_on < %s "
                "AND NOT EXISTS (SELECT 1 FROM orglife_attendance a JOIN orglife_meeting mt ON mt.id = a.meeting_id "
                "WHERE a.member_id = m.id AND a.status = 'present' AND mt.state IN ('recorded', 'confirmed') "
                "AND mt.starts_at >= %s AND mt.starts_at < %s) "
                "AND NOT EXISTS (SELECT 1 FROM members_memberevent e WHERE e.member_id = m.id AND e.kind = 'moved' "
                "AND e.happened_on >= %s AND e.happened_on <= %s) "
                "AND NOT EXISTS (SELECT 1 FROM relations_floatingrecord f WHERE f.member_id = m.id "
                "AND f.returned_on >= %s AND f.returned_on <= %s) "
                "AND NOT EXISTS (SELECT 1 FROM relations_lostcontactcase c WHERE c.member_id = m.id AND c.state = 'restored' "
                "AND c.closed_on >= %s AND c.closed_on <= %s)",
                [like, first, first_at, end_at, first, today, first, today, first, today],
            ),
        ),
    ]
    rows = []
    for name, platform, sql in cases:
        p50, _p95, queries, _ = timed(platform, max(args.runs // 4, 3))
        raw50, _r95, _rq, _ = timed(sql, max(args.runs // 4, 3))
        ratio = p50 / raw50 if raw50 else float("inf")
        flag = "" if ratio <= GOAL_RATIO else " > goal"
        rows.append((name, f"{p50:.0f}", f"{raw50:.0f}", f"{ratio:.2f}{flag}", str(queries)))
    return rows


def recount_rows(root):
    """The cost behind the fast figures: every kept row recounted from the live records (the nightly job, or the first
    reader after a bulk load), and one township's change (a reader after a write there, or the minute's job)."""
    from grassroots.members.models import Member
    from grassroots.orgs import summaries
    from grassroots.orgs.models import SubtreeFigure

    start = time.perf_counter()
    summaries.refresh(everything=True)
    everything = (time.perf_counter() - start) * 1000
    rows = SubtreeFigure.objects.count()
    member = Member.objects.filter(org_path__startswith=root.path).order_by("id").first()
    times = []
    for _ in range(3):
        summaries.touch([member.org_path])
        start = time.perf_counter()
        summaries.refresh()
        times.append((time.perf_counter() - start) * 1000)
    stale = SubtreeFigure.objects.filter(org_path__in=summaries.summarized_prefixes(member.org_path)).count()
    return [("every kept figure (refresh_rollups --all)", f"{everything:.0f}", str(rows)),
            ("one township's change (refresh_rollups)", f"{statistics.median(times):.0f}", str(stale))]


def print_table(header, rows):
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))


def main():
    args = parse_args()
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    from grassroots.members.models import Member
    from grassroots.orgs.models import Organization

    call_command("migrate", verbosity=0, interactive=False)  # apps land while the dataset stays
    name = connection.settings_dict["NAME"]
    if args.activity:
        if name == "grassroots_bench":
            sys.exit("--activity writes meetings and dues: choose a scratch copy, not grassroots_bench")
        add_activity()
    root = Organization.objects.filter(depth=1).order_by("path").first()
    print(f"database: {connection.vendor} {name}: {Organization.objects.count():,} organizations, {Member.objects.count():,} members")
    print(f"p50 / p95 of {args.runs} requests after one warm-up, milliseconds; queries of one request; goal p95 <= {GOAL_P95_MS} ms")
    print()
    print_table(("role", "page", "p50", "p95", "queries", "status"), page_rows(args))
    if not args.no_rollups:
        print()
        print(f"whole-city roll-ups against the equivalent raw SQL (median); goal ratio <= {GOAL_RATIO}")
        print_table(("roll-up", "platform ms", "raw SQL ms", "ratio", "queries"), rollup_rows(args, root))
        print()
        print("kept summary figures (grassroots/orgs/summaries.py): what a reader or the worker pays to recount them")
        print_table(("recount", "ms", "rows"), recount_rows(root))


if __name__ == "__main__":
    main()
