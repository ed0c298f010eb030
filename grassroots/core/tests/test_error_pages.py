import pytest

pytestmark = pytest.mark.django_db


def test_404_and_403_are_chinese_pages_with_the_menu(client, tree, people, settings):
    settings.DEBUG = False
    client.force_login(people.secretary_a)
    response = client.get(f"/orgs/{tree.branch_b.pk}/")
    html = response.content.decode()
    assert response.status_code == 404 and "页面不存在" in html and "党组织体系" in html
    response = client.get("/accounts/users/")
    html = response.content.decode()
    assert response.status_code == 403 and "您没有管理账号的权限" in html and "党组织体系" in html
