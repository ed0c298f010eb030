"""Scheduled work of this app (grassroots/core/scheduling.py)."""

from grassroots.core.scheduling import Job

JOBS = [
    Job("assistance.attendance_check", "驻村干部上月在村考勤检查（未填报、天数不足）", cron="30 8 3 * *", command="assistance_attendance_check"),
]
