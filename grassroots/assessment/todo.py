"""This app's lines in the home page's to-do panel (grassroots/core/todos.py). Ballots to cast are the ballots app's
own line (rounds I may vote in and have not)."""

from django.urls import reverse

from grassroots.core import scoping
from grassroots.core.todos import Todo

from .choices import ReportState, RoundState
from .models import Report


def lines(user, org, today):
    mine = Report.objects.filter(user=user, state=ReportState.DRAFT, round__state=RoundState.REPORTING)
    to_comment = Report.objects.filter(round__state__in=[RoundState.REPORTING, RoundState.APPRAISAL], year_score__isnull=True,
                                       round__org_path__startswith=org.path).filter(scoping.path_q("round__org_path", scoping.manage_paths(user)))
    return [
        Todo("述职评议", "待撰写提交的述职报告", mine.count(), reverse("assessment:rounds")),
        Todo("述职评议", "待点评的述职", to_comment.count(), reverse("assessment:rounds")),
    ]
