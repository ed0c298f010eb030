"""Periodic jobs of supervision (see grassroots/core/scheduling.py)."""

from grassroots.core.scheduling import Job

JOBS = [Job("supervision.remind_receipts", "催办逾期未签收的通知（第一、二、三次）", cron="30 8 * * *", command="supervision_remind_receipts")]
