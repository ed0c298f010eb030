"""The worklist's counts kept for the city, the districts and the townships (grassroots/orgs/summaries.py).

`talks.flags`: members with an open flag and no talk since (worklist.flagged_members), in all (`total`) and per
flag: the worklist's tabs, its page count and the home page's to-do line. Beside the counts the list itself is kept
member by member (worklist.keep_flagged, talks.FlaggedMember) for the city's and the districts' pages. The flags come from other parts
(organizational life, dues, appraisals, lost contact), so their records are sources too; the counts depend on the
date and are recounted every day.
"""

from django.db.models.functions import Substr

from grassroots.dues.models import DuesDeclaration, DuesPayment, DuesRelief
from grassroots.members.models import Member, MemberEvent
from grassroots.orglife.models import Appraisal, AppraisalResult, Attendance, Meeting
from grassroots.orgs.models import Organization
from grassroots.orgs.summaries import Rollup, own_path
from grassroots.relations.models import FloatingRecord, LostContactCase

from . import worklist
from .models import Talk

FLAGS = worklist.FLAGS_ROLLUP


def flags_by_prefix(path, today, key="", direct=False):
    flagged = worklist.flagged_members(path, today)
    if direct:
        flagged = flagged.filter(org_path=path)
    grouped = flagged.order_by().annotate(prefix=Substr("org_path", 1, len(path) + Organization.steplen)).values("prefix")
    return {row.pop("prefix"): worklist.counts_of(row) for row in grouped.annotate(**worklist.count_aggregates())}


def coverage_by_prefix(path, today, key, direct=False):
    grouped = worklist.coverage_counts(path, int(key), len(path) + Organization.steplen, direct=direct)
    return {prefix: {"total": row["total"], "talked": row["talked"]} for prefix, row in grouped.items()}


def _member(row):
    return [row.member.org_path]


ROLLUPS = [
    Rollup(worklist.COVERAGE_ROLLUP, "年度谈心谈话覆盖（按年）", by_prefix=coverage_by_prefix, sources=((Talk, own_path), (Member, Member.recount_paths))),
    Rollup(FLAGS, "谈心谈话工作清单（有问题提示而尚未谈话的党员）", by_prefix=flags_by_prefix, keep=worklist.keep_flagged, sources=(
        (Talk, own_path), (Member, Member.recount_paths), (MemberEvent, _member), (Meeting, own_path),
        (Attendance, lambda a: [a.meeting.org_path]), (DuesPayment, own_path), (DuesDeclaration, own_path),
        (DuesRelief, own_path), (Appraisal, own_path), (AppraisalResult, _member), (FloatingRecord, own_path),
        (LostContactCase, own_path),
    )),
]
