"""Recompute the automatic points of every member (cron, nightly: `manage.py recompute_points`)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from grassroots.orgs.models import Organization
from grassroots.points import services


class Command(BaseCommand):
    help = "根据组织生活出席记录和党费收缴记录重新计算党员自动积分（可重复运行，不会重复计分）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="年度，默认今年")
        parser.add_argument("--org", default="", help="只计算该组织代码的下级（默认全部）")

    def handle(self, *args, year=None, org="", **options):
        year = year or timezone.localdate().year
        roots = Organization.objects.filter(code=org) if org else Organization.objects.filter(depth=1)
        for root in roots:
            created, updated, deleted = services.recompute_points(root, year)
            self.stdout.write(f"{root.name} {year}年：新增 {created} 条，更新 {updated} 条，删除 {deleted} 条")
