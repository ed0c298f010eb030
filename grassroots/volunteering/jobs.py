"""Periodic jobs of volunteering (grassroots/core/scheduling.py)."""

from grassroots.core.scheduling import Job

JOBS = [Job("volunteering.reregister", "提醒在职党员到期重新到社区报到", cron="30 7 * * 1", command="volunteering_remind")]
