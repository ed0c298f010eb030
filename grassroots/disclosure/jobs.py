"""This app's periodic jobs (grassroots/core/scheduling.py)."""

from grassroots.core.scheduling import Job

JOBS = [
    Job("disclosure.reminders", "例行公开提醒：到期与逾期", cron="25 7 * * *", command="disclosure_reminders"),
    Job("disclosure.verify", "公开栏防篡改哈希链核验（未通过即失败并通知管理员）", cron="30 2 * * *", command="verify_disclosures"),
]
