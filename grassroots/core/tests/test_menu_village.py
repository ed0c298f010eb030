"""Every link of the 村（居）务 menu group opens for the people it is shown to."""

import re

import pytest
from django.urls import reverse

from grassroots.accounts.choices import Role
from grassroots.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["monitor", "secretary", "dept"])
def test_village_menu_links_open(client, tree, people, who):
    user = {"monitor": lambda: make_user("jianwei", Role.VILLAGE_MONITOR, tree.village),
            "secretary": lambda: make_user("village_secretary", Role.SECRETARY, tree.village),
            "dept": lambda: people.dept_a}[who]()
    client.force_login(user)
    menu = re.search(r'<nav id="sidebar".*?</nav>', client.get(reverse("core:home")).content.decode(), re.S).group(0)
    group = menu.split("村（居）务</div>")[1].split('<div class="group">')[0]
    links = re.findall(r'href="([^"]+)"', group)
    assert {reverse("decisions:matter_list"), reverse("disclosure:questions"), reverse("portal:index")} <= set(links)
    for url in links:
        response = client.get(url, follow=True)
        assert response.status_code == 200, (who, url, response.status_code)
