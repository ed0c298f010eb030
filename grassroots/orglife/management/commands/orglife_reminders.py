from django.core.management.base import BaseCommand

from grassroots.orglife import reminders


class Command(BaseCommand):
    help = "提醒党支部书记：本期即将结束仍未登记的三会一课、主题党日、组织生活会（每天运行一次）"

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务执行，而不是立即执行")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from grassroots.orglife.tasks import send_reminders

            send_reminders.enqueue()
            self.stdout.write("已加入后台任务队列")
            return
        self.stdout.write(f"新建提醒 {reminders.send_reminders()} 条")
