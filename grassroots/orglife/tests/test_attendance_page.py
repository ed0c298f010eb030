import pytest

from grassroots.orglife.tests.factories import at, held

pytestmark = pytest.mark.django_db


def test_attendance_rates_page_lowest_first_and_scoped(client, tree, people, members):
    held(tree.branch_a, "theme_day", at(2026, 3, 1), state="confirmed", present=[members.a1], absent=[members.a2])
    held(tree.branch_a, "theme_day", at(2026, 4, 1), state="recorded", present=[members.a1], leave=[members.a2])
    held(tree.branch_a, "theme_day", at(2026, 5, 1), state="planned", present=[members.a2])  # planned: not counted
    client.force_login(people.secretary_a)
    response = client.get(f"/orglife/attendance/{tree.branch_a.pk}/", {"year": 2026})
    html = response.content.decode()
    assert response.status_code == 200
    rows = [(m.name, m.expected, m.present, m.on_leave, m.rate) for m in response.context["page"]]
    assert rows == [("李四", 2, 0, 1, 0), ("张三", 2, 2, 0, 100)]
    assert "100%" in html and "2026 年党员参加组织生活出席率" in html
    assert client.get(f"/orglife/attendance/{tree.branch_b.pk}/").status_code == 404
    client.force_login(people.member_a)
    assert client.get(f"/orglife/attendance/{tree.branch_a.pk}/").status_code == 403
