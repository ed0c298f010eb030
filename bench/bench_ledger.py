"""Member ledgers in Excel at scale: time and peak memory of

  (1) the roster export of the whole city (about 250,000 members) from the city dataset
      (default postgres://postgres@127.0.0.1:5432/grassroots_bench, loaded by bench/bench.py; only read,
      the export's audit row is rolled back);
  (2) the import of a generated 50,000-row ledger into a scratch database (created anew each run,
      default postgres://postgres@127.0.0.1:5432/grassroots_ledger_bench), run the way production runs
      it: the upload enqueues the task and `manage.py db_worker --batch` applies it, while this script
      polls the job's progress as the page does; then the same file again (every row matched, nothing
      to change) and the export of those 50,000 fully filled rows.

    .venv/bin/python bench/bench_ledger.py [--city-url URL] [--scratch-url URL] [--rows 50000] [--skip-city]

Each measured step runs in a process of its own; "peak MB" is that process's maximum resident set size
(ru_maxrss, from wait4), "base MB" its size just before the step (Python, Django and the database driver
loaded), so peak - base is what the step itself needed.
"""

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITY_URL = "postgres://postgres@127.0.0.1:5432/grassroots_bench"
SCRATCH_URL = "postgres://postgres@127.0.0.1:5432/grassroots_ledger_bench"
BRANCHES = 200


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--city-url", default=os.environ.get("BENCH_DATABASE_URL", CITY_URL))
    parser.add_argument("--scratch-url", default=SCRATCH_URL)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--skip-city", action="store_true", help="only the import (no city dataset needed)")
    parser.add_argument("--step", help=argparse.SUPPRESS)  # internal: run one measured step in this process
    parser.add_argument("--file", help=argparse.SUPPRESS)
    return parser.parse_args()


def rss_mb(field="VmRSS"):
    """This process's resident set size (VmRSS) or its peak since it started (VmHWM), in MB. (Not ru_maxrss:
    Linux carries it over from the forking parent.)"""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def setup_django(url, var_dir):
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ["DATABASE_URL"] = url
    os.environ["GRASSROOTS_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "grassroots.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# ---------------------------------------------------------------------------------------
# Steps (each in a child process)
# ---------------------------------------------------------------------------------------


def step_export(args):
    """The roster of everyone (a system administrator's view), written to a temporary file and read out."""
    from django.db import transaction

    from grassroots.accounts.models import RoleAssignment, User
    from grassroots.core.roles import Role
    from grassroots.members import exports
    from grassroots.orgs.models import Organization

    class Undo(Exception):
        pass

    from grassroots.members.models import Member

    result = {"members": Member.objects.count()}
    try:
        with transaction.atomic():
            root = Organization.objects.filter(depth=1).order_by("path").first()
            user = User.objects.create(username="bench_ledger_export", full_name="bench")
            RoleAssignment.objects.create(user=user, role=Role.ADMIN, org=root)
            base = rss_mb()
            start = time.perf_counter()
            response = exports.roster_response(user, {})
            size = sum(len(chunk) for chunk in response.streaming_content)
            result.update(seconds=time.perf_counter() - start, base_mb=base, bytes=size)
            from grassroots.core.models import AuditLog

            result["note"] = AuditLog.objects.filter(action="export").order_by("-id").first().note
            raise Undo
    except Undo:
        pass
    return result


def step_upload(args):
    """What the upload request does: check the file's type, save it, create the job, enqueue the task."""
    from django.core.files import File

    from grassroots.accounts.models import User
    from grassroots.members import imports
    from grassroots.orgs.models import Organization

    user = User.objects.get(username="bench_importer")
    root = Organization.objects.get(code="LB0000")
    base = rss_mb()
    start = time.perf_counter()
    with open(args.file, "rb") as f:
        upload = File(f, name=os.path.basename(args.file))
        upload.size = os.path.getsize(args.file)
        job = imports.start_import(user, root, upload)
    return {"seconds": time.perf_counter() - start, "base_mb": base, "job": job.pk, "state": job.state}


def step_worker(args):
    """manage.py db_worker --batch, as `make run` starts it: runs the queued import and exits."""
    from django.core.management import call_command

    base = rss_mb()
    start = time.perf_counter()
    call_command("db_worker", batch=True, startup_delay=False, interval=0.1, verbosity=0)
    return {"seconds": time.perf_counter() - start, "base_mb": base}


STEPS = {"export": step_export, "upload": step_upload, "worker": step_worker}


def run_step(args):
    setup_django(os.environ["BENCH_URL"], os.environ["BENCH_VAR"])
    result = STEPS[args.step](args)
    result["peak_mb"] = rss_mb("VmHWM")
    print("RESULT " + json.dumps(result, default=str))


def child(step, url, var_dir, *extra, poll=None):
    """Run one step in a process of its own; with `poll`, sample it every half second while it runs."""
    env = {**os.environ, "BENCH_URL": url, "BENCH_VAR": var_dir}
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen([sys.executable, __file__, "--step", step, *extra], env=env, stdout=out, text=True)
        samples, start = [], time.perf_counter()
        while proc.poll() is None:
            if poll:
                samples.append((round(time.perf_counter() - start, 1), *poll()))
            time.sleep(0.5 if poll else 0.05)
        out.seek(0)
        text = out.read()
    if proc.returncode != 0:
        sys.exit(f"step {step} failed:\n{text}")
    line = [x for x in text.splitlines() if x.startswith("RESULT ")][-1]
    result = json.loads(line[len("RESULT "):])
    result["samples"] = samples
    return result


# ---------------------------------------------------------------------------------------
# The scratch database and the generated ledger
# ---------------------------------------------------------------------------------------


def recreate_database(url):
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    if name in ("grassroots_bench", "grassroots", "postgres"):
        sys.exit(f"refusing to drop {name}: use a scratch database for the import")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare_scratch():
    """Migrate; one committee with BRANCHES branches; an organization-department account on it."""
    from django.core.management import call_command

    from grassroots.accounts.models import RoleAssignment, User
    from grassroots.core.roles import Role
    from grassroots.orgs import services as org_services

    call_command("migrate", verbosity=0, interactive=False)
    admin = User.objects.create_superuser(username="bench_admin", password="x-Bench-2026", full_name="bench")
    blank = {"short_name": "", "established_on": None, "term_start": None, "term_end": None, "address": "",
             "contact_person": "", "contact_phone": ""}
    root = org_services.create_organization(admin, None, {**blank, "name": "中共某区委员会", "code": "LB0000", "kind": "committee", "category": "agency"})
    codes = []
    for i in range(1, BRANCHES + 1):
        code = f"LB{i:04d}"
        org_services.create_organization(admin, root, {**blank, "name": f"某单位第{i}党支部", "code": code, "kind": "branch", "category": "enterprise"})
        codes.append(code)
    user = User.objects.create_user(username="bench_importer", password="x-Bench-2026", full_name="导入员")
    RoleAssignment.objects.create(user=user, role=Role.ORG_DEPT, org=root)
    return codes


def write_ledger(path, rows, codes, seed=2026):
    """A ledger as organization departments keep it: a title row, the template's columns, every column filled."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from grassroots.members import ledger, rules
    from grassroots.members.choices import ETHNICITIES, Education, Occupation

    rng = random.Random(seed)
    today = datetime.date.today()
    columns = ledger.TEMPLATE_COLUMNS
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("党员信息")
    ws.append(["某区委党员花名册（基准测试）"])
    ws.append([c.header for c in columns])
    educations, occupations = [str(c.label) for c in Education], [str(c.label) for c in Occupation]
    for n in range(1, rows + 1):
        birth = datetime.date(rng.randint(1945, 2000), rng.randint(1, 12), rng.randint(1, 28))
        female = rng.random() < 0.3
        # unique for every n: the area code carries n // 100, the sequence n % 100
        first17 = f"32{n // 100:04d}{birth:%Y%m%d}{n % 100:02d}{rng.randint(0, 4) * 2 + (0 if female else 1)}"
        id_number = first17 + rules.id_check_char(first17)
        joined = rules.add_years(birth, rng.randint(18, 40))
        if joined > today - datetime.timedelta(days=400):
            joined = today - datetime.timedelta(days=rng.randint(400, 2000))
            joined = max(joined, rules.add_years(birth, 18))
        probationary = rng.random() < 0.03 and joined > today - datetime.timedelta(days=700)
        date_cell = lambda d: WriteOnlyCell(ws, value=d)  # noqa: E731
        values = {
            "seq": n, "name": f"党员{n}", "gender": "女" if female else "男",
            "ethnicity": "汉族" if rng.random() < 0.97 else rng.choice(ETHNICITIES)[1], "birth_date": date_cell(birth),
            "id_number": id_number, "native_place": "江苏常州", "education": rng.choice(educations), "degree": "无",
            "occupation": rng.choice(occupations), "work_unit": f"某单位{n % 500}", "residence": f"某社区{n % 300}",
            "in_service": "在职" if rng.random() < 0.7 else "离退休", "phone": f"139{n:08d}",
            "joined_on": date_cell(joined), "full_on": None if probationary else date_cell(rules.add_years(joined, 1)),
            "status": "预备党员" if probationary else "正式党员", "state": "正常", "left_reason": None, "left_on": None,
            "left_document": None, "org_code": codes[n % len(codes)],
        }
        ws.append([values[c.field] for c in columns])
    wb.save(path)


# ---------------------------------------------------------------------------------------


def main():
    args = parse_args()
    if args.step:
        return run_step(args)
    var_dir = tempfile.mkdtemp(prefix="grassroots-bench-ledger-")
    results = []

    if not args.skip_city:
        env = {**os.environ, "DATABASE_URL": args.city_url, "GRASSROOTS_VAR_DIR": var_dir, "DJANGO_SETTINGS_MODULE": "grassroots.settings"}
        # Only the member tables' migrations (the export reads their columns); nothing is dropped or reloaded.
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "members", "-v", "0"], env=env, check=True)
        r = child("export", args.city_url, var_dir)
        results.append((f"export roster, whole city ({r['members']:,} members)", r["seconds"], r["base_mb"], r["peak_mb"],
                        f"{r['bytes'] / 1e6:.1f} MB .xlsx"))
        print(f"city export audit note: {r['note']}")

    recreate_database(args.scratch_url)
    setup_django(args.scratch_url, var_dir)
    codes = prepare_scratch()
    path = os.path.join(var_dir, f"ledger-{args.rows}.xlsx")
    start = time.perf_counter()
    write_ledger(path, args.rows, codes)
    print(f"generated {args.rows:,} rows in {time.perf_counter() - start:.1f} s: {os.path.getsize(path) / 1e6:.1f} MB")
    from django.db import connections

    from grassroots.members.models import ImportJob, Member

    connections["default"].close()

    def poll(job_id):
        job = ImportJob.objects.get(pk=job_id)
        connections["default"].close()
        return job.state, job.processed_rows, job.total_rows

    for label in ("import 50,000 new members", "re-import the same file (all matched, unchanged)"):
        label = label.replace("50,000", f"{args.rows:,}")
        up = child("upload", args.scratch_url, var_dir, "--file", path)
        results.append(("  upload request (check type, save, enqueue)", up["seconds"], up["base_mb"], up["peak_mb"], ""))
        w = child("worker", args.scratch_url, var_dir, poll=lambda job_id=up["job"]: poll(job_id))
        job = ImportJob.objects.get(pk=up["job"])
        if job.state != "done":
            sys.exit(f"import failed: {job.state} {job.errors[:5]}")
        results.append((f"{label}: db_worker", w["seconds"], w["base_mb"], w["peak_mb"],
                         f"new {job.created_count:,}, updated {job.updated_count:,}, members {Member.objects.count():,}"))
        samples = w["samples"]
        shown = [s for i, s in enumerate(samples) if i % max(len(samples) // 10, 1) == 0]
        print(f"{label}: progress seen by a poll (seconds, state, processed, total): {shown}")
    connections["default"].close()

    r = child("export", args.scratch_url, var_dir)
    results.append(("export roster of the imported rows (every column filled)", r["seconds"], r["base_mb"], r["peak_mb"],
                    f"{r['bytes'] / 1e6:.1f} MB .xlsx"))

    print()
    print(f"{'operation':<62} {'seconds':>8} {'base MB':>8} {'peak MB':>8}  notes")
    for label, seconds, base, peak, note in results:
        base_text = f"{base:8.0f}" if base is not None else f"{'':>8}"
        print(f"{label:<62} {seconds:8.1f} {base_text} {peak:8.0f}  {note}")


if __name__ == "__main__":
    main()
