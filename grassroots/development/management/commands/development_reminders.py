from django.core.management.base import BaseCommand

from grassroots.development import reminders


class Command(BaseCommand):
    help = "提醒党支部书记：发展党员工作中逾期和临期的事项（未按期谈话、考察、审批，预备期将满或已满；每天运行一次）"

    def handle(self, *args, **options):
        self.stdout.write(f"新建提醒 {reminders.send_reminders()} 条")
