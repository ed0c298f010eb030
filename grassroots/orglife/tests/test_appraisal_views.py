import pytest
from django.urls import reverse

from grassroots.conftest import make_member, make_user
from grassroots.members.choices import State
from grassroots.orglife.models import Appraisal, AppraisalResult, Ballot, BallotReceipt

pytestmark = pytest.mark.django_db


def test_open_vote_conclude_follow_up_through_pages(client, tree, people, members):
    others = [make_member(tree.branch_a, f"评{i}", user=make_user(f"pv{i}")) for i in range(2)]
    subjects = [members.a1, *others]
    client.force_login(people.secretary_b)
    assert client.post(reverse("orglife:appraisal_open", args=[tree.branch_a.pk]), {"year": 2025}).status_code == 404
    client.force_login(people.secretary_a)
    response = client.post(reverse("orglife:appraisal_open", args=[tree.branch_a.pk]), {"year": 2099})
    assert response.context["error"] == "不能为将来的年度开展评议" and not Appraisal.objects.exists()
    response = client.post(reverse("orglife:appraisal_open", args=[tree.branch_a.pk]), {"year": 2025})
    appraisal = Appraisal.objects.get()
    assert response.url == reverse("orglife:appraisal_detail", args=[appraisal.pk])

    # voters without any role reach the ballot through their member record
    for voter in subjects:
        client.force_login(voter.user)
        assert client.get(reverse("orglife:appraisal_detail", args=[appraisal.pk])).context["may_vote"] is True
        grades = {f"grade_{m.pk}": "qualified" for m in subjects} | {f"grade_{others[1].pk}": "unqualified"}
        client.post(reverse("orglife:appraisal_vote", args=[appraisal.pk]), grades)
    assert BallotReceipt.objects.count() == 3 and Ballot.objects.count() == 9
    response = client.post(reverse("orglife:appraisal_vote", args=[appraisal.pk]), grades)
    assert "您已经投过票，不能重复投票" in response.context["errors"]
    outsider = make_member(tree.branch_b, "外人", user=make_user("outsider2"))
    client.force_login(outsider.user)
    assert client.get(reverse("orglife:appraisal_detail", args=[appraisal.pk])).status_code == 404

    client.force_login(people.secretary_a)
    detail = client.get(reverse("orglife:appraisal_detail", args=[appraisal.pk]))
    live = {r.member_id: r.live for r in detail.context["results"]}
    assert live[others[1].pk]["unqualified"] == 3
    response = client.post(reverse("orglife:appraisal_detail", args=[appraisal.pk]), {f"grade_{m.pk}": "excellent" for m in subjects})
    assert any("三分之一" in e for e in response.context["errors"])
    client.post(reverse("orglife:appraisal_detail", args=[appraisal.pk]), {f"grade_{m.pk}": "qualified" for m in subjects} | {f"grade_{others[1].pk}": "unqualified"})
    result = AppraisalResult.objects.get(member=others[1])
    assert result.grade == "unqualified" and result.unqualified_votes == 3
    url = reverse("orglife:appraisal_follow_up", args=[result.pk])
    response = client.post(url, {"action": "removed", "decided_on": "2026-02-01", "document": ""})
    assert "请填写支部大会决定及上级批准的文号" in response.context["errors"]
    client.post(url, {"action": "removed", "decided_on": "2026-02-01", "document": "新村党委〔2026〕5号"})
    others[1].refresh_from_db()
    assert others[1].state == State.LEFT and others[1].left_reason == "removed"
