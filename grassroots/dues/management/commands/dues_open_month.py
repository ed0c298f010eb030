"""Open a month's dues records for every branch (cron, on the 1st: `manage.py dues_open_month`)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from grassroots.dues import rules, services


class Command(BaseCommand):
    help = "为所有党支部建立某月的党费收缴记录（默认本月），可重复运行"

    def add_arguments(self, parser):
        parser.add_argument("--month", default="", help="YYYY-MM，默认本月")

    def handle(self, *args, month="", **options):
        try:
            first = rules.parse_month(month) if month else rules.month_start(timezone.localdate())
        except ValueError:
            raise CommandError("月份格式为 YYYY-MM") from None
        created = services.open_months_everywhere(first)
        self.stdout.write(f"{first:%Y-%m}：新建党费收缴记录 {created} 条")
