"""The home page's to-do panel: each app's open work for the current scope, with links, loaded after the page."""

import datetime

import pytest
from django.urls import reverse

from grassroots.core.todos import todo_items
from grassroots.relations import services as relations

pytestmark = pytest.mark.django_db


def test_home_loads_the_panel_and_the_panel_lists_open_work(client, tree, people, members, django_assert_max_num_queries):
    today = datetime.date.today()
    relations.issue_transfer(people.secretary_b, members.b1, reason="work_unit", to_org=tree.branch_a, issued_on=today, valid_days=10)
    client.force_login(people.secretary_a)
    assert reverse("dashboard:home_todo") in client.get(reverse("dashboard:home")).content.decode()
    from grassroots.core.registry import app_modules

    lines = sum(len(module.lines(people.secretary_a, tree.branch_a, today)) for _, module in app_modules("todo"))
    # a few counts per line at most (some lines are one query, a few two or three) and the page's own queries
    with django_assert_max_num_queries(3 * lines + 6):
        page = client.get(reverse("dashboard:home_todo")).content.decode()
    assert "待本组织接收的介绍信" in page and f"{reverse('relations:transfer_list')}?tab=incoming" in page
    assert "有问题提示而尚未谈话的党员" in page  # nobody in branch A attended anything for six months
    items = {t.area: t.count for t in todo_items(people.secretary_a, tree.branch_a, today)}
    assert items["组织关系转接"] == 1 and items["谈心谈话"] == 2


def test_nothing_to_do_says_so_and_members_get_no_panel(client, tree, people, members):
    client.force_login(people.member_a)
    assert client.get(reverse("dashboard:home_todo")).content.decode().strip() == ""
    client.force_login(people.dept_a)
    assert "组织关系转接" not in client.get(reverse("dashboard:home_todo")).content.decode()


def test_a_supervisory_committee_member_gets_their_village_not_member_statistics(client, tree, people):
    from grassroots.conftest import make_user
    from grassroots.core.roles import Role

    monitor = make_user("jianwei", Role.VILLAGE_MONITOR, tree.village)
    client.force_login(monitor)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "村务监督：中共新村村委员会" in page and reverse("decisions:matter_list") in page
    assert "党员总数" not in page and reverse("dashboard:home_todo") not in page


def test_overdue_routine_disclosures_are_counted_for_the_scope(tree, people):
    from grassroots.disclosure import services as disclosure

    today = datetime.date(2026, 5, 20)
    disclosure.set_schedule(people.dept_a, tree.village, category="party", frequency="quarter", starts_on=datetime.date(2026, 1, 1))
    items = {t.area: (t.count, t.url) for t in todo_items(people.dept_a, tree.village, today)}
    assert items["党务村务居务公开"] == (1, reverse("disclosure:manage_list"))  # 2026-Q1, due 04-10
    assert "党务村务居务公开" not in {t.area for t in todo_items(people.secretary_b, tree.branch_b, today)}
