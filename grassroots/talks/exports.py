"""Excel ledgers of talks (谈心谈话台账) and of the worklist; every export is audited."""

from grassroots.core import audit
from grassroots.core.excel import xlsx_response

from . import worklist as work

TALK_HEADERS = ["谈话日期", "谈话对象", "所在党组织", "谈话类型", "谈话人", "谈话人职务", "谈话地点", "谈话主题", "谈话缘由",
                "谈话内容摘要", "后续措施", "措施完成期限", "措施完成日期", "措施落实情况"]
WORKLIST_HEADERS = ["姓名", "所在党组织", "党员类别", "党籍状态", "提示事项", "最近一次谈话"]


def _day(value):
    return value.strftime("%Y-%m-%d") if value else ""


def talks_response(user, org, talks):
    audit.record(audit.Action.EXPORT, org, actor=user, org_path=org.path, note="导出谈心谈话台账")

    def rows():
        for t in talks.iterator(chunk_size=2000):
            yield [_day(t.held_on), t.member.name, t.org.name, t.get_kind_display(), t.talker_name, t.talker_title, t.place,
                   t.topic, "、".join(t.reason_labels), t.summary, t.follow_up, _day(t.follow_up_due), _day(t.follow_up_done_on),
                   t.follow_up_result]

    return xlsx_response(f"谈心谈话台账-{org.short_name or org.name}", "谈心谈话台账", TALK_HEADERS, rows())


def worklist_response(user, org, flagged):
    audit.record(audit.Action.EXPORT, org, actor=user, org_path=org.path, note="导出谈心谈话工作清单")

    def rows():
        for m in flagged.iterator(chunk_size=2000):
            flags = "；".join(f"{flag.label}（{_day(since)}起）" if since else flag.label for flag, since in work.row_flags(m))
            yield [m.name, m.org.name, m.get_status_display(), m.get_state_display(), flags, _day(m.last_talk) or "无记录"]

    return xlsx_response(f"谈心谈话工作清单-{org.short_name or org.name}", "谈心谈话工作清单", WORKLIST_HEADERS, rows())
