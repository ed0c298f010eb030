"""Bring the summary figures up to date (grassroots/orgs/summaries.py): the stale ones, or with --all every one."""

import time

from django.core.management.base import BaseCommand

from grassroots.orgs import summaries


class Command(BaseCommand):
    help = "更新汇总数据：有变动的（默认）或全部（--all）"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="重算全部，而不只是有变动的")

    def handle(self, *args, **options):
        start = time.monotonic()
        done = summaries.refresh(everything=options["all"])
        lines = [f"{name}: {n}" for name, n in done.items()]
        self.stdout.write(f"已更新汇总数据（{time.monotonic() - start:.1f} 秒）：" + ("；".join(lines) or "无"))
