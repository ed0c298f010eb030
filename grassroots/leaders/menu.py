"""Side-menu entries of this app (see grassroots/core/navigation.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

ITEMS = [
    MenuItem("两委换届", "leaders:election_list", Section.LEADERS, show=scoping.reads_records,
             active_on=("leaders:election_*", "leaders:plan_*", "leaders:advance", "leaders:candidate_add", "leaders:voters_add",
                        "leaders:count", "leaders:close", "leaders:signoff", "leaders:nominate"), order=10),
    MenuItem("两委任期", "leaders:term_list", Section.LEADERS, show=scoping.reads_records, active_on=("leaders:term_*",), order=15),
    MenuItem("队伍统计", "leaders:overview", Section.LEADERS, show=scoping.reads_records, active_on=("leaders:overview*",), order=20),
    MenuItem("后备人才库", "leaders:reserve_list", Section.LEADERS, show=scoping.reads_records, active_on=("leaders:reserve_*",), order=30),
    MenuItem("教育培训", "leaders:course_list", Section.LEADERS, show=scoping.reads_records, active_on=("leaders:course_*", "leaders:hours_*"), order=40),
    MenuItem("述职述廉评议", "leaders:review_list", Section.LEADERS, show=scoping.reads_records, active_on=("leaders:review_*",), order=50),
    MenuItem("离任审计", "leaders:audit_list", Section.LEADERS, show=scoping.reads_records, active_on=("leaders:audit_*",), order=60),
    MenuItem("发展通道", "leaders:career", Section.LEADERS, show=scoping.reads_records, active_on=("leaders:career",), order=70),
]
