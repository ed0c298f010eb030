"""This app's periodic jobs (grassroots/core/scheduling.py)."""

from grassroots.core.scheduling import Job

JOBS = [Job("orglife.reminders", "组织生活提醒：本期即将结束仍未登记的三会一课、主题党日、组织生活会", cron="5 7 * * *", command="orglife_reminders")]
