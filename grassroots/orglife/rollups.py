"""The compliance figures kept for the city, the districts and the townships (grassroots/orgs/summaries.py).

`orglife.compliance`, key "<year>:<lecture period>": per subtree the branches counted, the requirements met and due
per month and the branches with a committee gap (compliance.figures_by_prefix), so that the compliance matrix of
the city or a district does not walk its 280,000 requirements on every request. A township's figures are counted by
compliance.compute (five queries); a district's and the city's are sums of their townships'.

What changes them: meetings (held or not, their month), the committee posts of branches (orgs.Post), the members'
full membership (a move changes two subtrees: Member.loaded_org_path), the tree itself (summaries marks every
roll-up of an organization's ancestors when it is saved) and the day (statuses fall due; the rows are for one day).
Meetings written without signals (synthetic.generate_meetings) call summaries.touch themselves.
"""

from grassroots.members.models import Member
from grassroots.orgs.choices import BRANCH_KINDS
from grassroots.orgs.models import Organization, Post
from grassroots.orgs.summaries import Rollup, own_path

from . import compliance, rules
from .models import Meeting

NAME = "orglife.compliance"


def key(year):
    """The kept figures' key: the year, and the lecture period in force (settings.ORGLIFE_LECTURE_PERIOD)."""
    return f"{year}:{rules.lecture_period().value}"


def year_of(key_):
    return int(key_.split(":", 1)[0])


def by_prefix(path, today, key_="", direct=False):
    year = year_of(key_)
    if direct:
        # records attached to `path` itself: the branch's own figures when it is a branch, none for a committee
        org = Organization.objects.filter(path=path, kind__in=BRANCH_KINDS).first()
        if org is None:
            return {}
        return {path: compliance.figures_by_prefix(compliance.compute_paths(path, year, today, detail=False), path).get(path, {})}
    return compliance.figures_by_prefix(compliance.compute_paths(path, year, today, detail=False), path)


def _post_paths(post):
    org = Organization.objects.filter(pk=post.org_id).values_list("path", flat=True).first()
    return [org] if org else []


ROLLUPS = [
    Rollup(
        NAME, "组织生活落实情况（到期要求、已完成、支委会设置问题）", by_prefix=by_prefix,
        sources=((Meeting, own_path), (Post, _post_paths), (Member, Member.recount_paths)),
    )
]
