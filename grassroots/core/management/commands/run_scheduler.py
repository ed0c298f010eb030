from django.core.management.base import BaseCommand

from grassroots.core import scheduling as jobs
from grassroots.core.scheduler import build_scheduler


class Command(BaseCommand):
    help = "运行定时任务调度进程：按各应用 jobs.py 登记的时间把任务交给后台任务进程（db_worker）执行"

    def handle(self, *args, **options):
        for name, job in jobs.all_jobs().items():
            self.stdout.write(f"{name:28} {job.cron:14} 下次 {jobs.next_fire_time(job):%Y-%m-%d %H:%M}  {job.label}")
        scheduler = build_scheduler()
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            scheduler.shutdown(wait=False)
