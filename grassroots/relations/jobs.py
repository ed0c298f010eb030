"""This app's periodic jobs (grassroots/core/scheduling.py)."""

from grassroots.core.scheduling import Job

JOBS = [Job("relations.reminders", "组织关系转接提醒：介绍信到期与过期、回执逾期、流动满六个月", cron="15 7 * * *", command="relations_reminders")]
