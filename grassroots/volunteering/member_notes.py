"""Notes for 民主评议党员 (grassroots/core/member_notes.py): each member's confirmed service hours at the community and
the community's evaluations of the year. Two queries for all the members."""

from collections import defaultdict

from django.db.models import Sum

from .choices import LogState
from .models import Evaluation, ServiceLog


def notes(member_ids, year):
    hours = dict(ServiceLog.objects.filter(member_id__in=member_ids, year=year, state=LogState.CONFIRMED)
                 .values_list("member_id").annotate(h=Sum("hours")).order_by())
    grades = defaultdict(list)
    for e in Evaluation.objects.filter(member_id__in=member_ids, year=year).select_related("community").order_by("quarter", "pk"):
        period = f"第{e.quarter}季度" if e.quarter else "全年"
        grades[e.member_id].append(f"{e.community.short_name or e.community.name}{period}评价{e.get_grade_display()}")
    result = {}
    for member_id in set(hours) | set(grades):
        parts = [f"社区报到服务 {hours[member_id]:g} 小时"] if hours.get(member_id) else []
        result[member_id] = "；".join(parts + grades[member_id])
    return result
