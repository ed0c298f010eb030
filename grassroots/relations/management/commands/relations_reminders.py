import datetime

from django.core.management.base import BaseCommand, CommandError

from grassroots.relations import services


class Command(BaseCommand):
    help = ("组织关系转接提醒：把超过有效期未接收的介绍信标为已过期，提醒双方即将到期的介绍信和逾期未返回的回执，"
            "提醒党支部外出满 6 个月应转接组织关系的流动党员（每天运行一次）")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期（YYYY-MM-DD）运行，默认今天")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD") from None
        counts = services.run_reminders(today)
        self.stdout.write(f"标为过期 {counts['expired']} 封，即将到期提醒 {counts['expiring']} 封，回执逾期提醒 {counts['receipt_overdue']} 封，"
                          f"流动满 6 个月提醒 {counts['floating_six_months']} 名")
