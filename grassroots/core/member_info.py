"""What other parts of the platform know about members, for the people who appraise them (民主评议党员). An app that
has something to say puts it in its own `member_notes.py`:

    def notes(member_ids, year):
        # one or a few SQL queries for all the members at once
        return {member_id: "社区报到：服务 12 小时，社区评价 优秀"}

orglife's appraisal page shows the lines beside each member; core imports no app. (This module is not called
member_notes.py itself, or the registry would take core for one of the apps that answer.)
"""

from collections import defaultdict

from .registry import app_modules


def collect(member_ids, year):
    """{member id: [note, …]} from every app's member_notes.py."""
    found = defaultdict(list)
    member_ids = list(member_ids)
    if not member_ids:
        return found
    for _, module in app_modules("member_notes"):
        for member_id, text in module.notes(member_ids, year).items():
            if text:
                found[member_id].append(text)
    return found
