import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from grassroots.accounts import services
from grassroots.accounts.models import RoleAssignment, User
from grassroots.conftest import PASSWORD, login
from grassroots.core import scoping
from grassroots.core.models import AuditLog
from grassroots.core.roles import Role

pytestmark = pytest.mark.django_db


def post_login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3")


def test_login_records_audit_with_address(client, people):
    response = post_login(client, "branch_a", PASSWORD)
    assert response.status_code == 302
    entry = AuditLog.objects.filter(action="login").get()
    assert entry.actor == people.secretary_a and entry.client_ip == "10.1.2.3" and len(entry.request_id) == 32


def test_wrong_password_message_and_audit(client, people):
    response = post_login(client, "branch_a", "wrong")
    assert "用户名或密码不正确" in response.content.decode()
    assert AuditLog.objects.filter(action="login_failed", actor=people.secretary_a).count() == 1
    post_login(client, "nobody-here", "wrong")
    assert AuditLog.objects.filter(action="login_failed", object_repr="nobody-here").exists()


def test_lockout_after_repeated_failures(client, people, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(2):
        post_login(client, "branch_a", "wrong")
    response = post_login(client, "branch_a", "wrong")
    assert "账号已锁定" in response.content.decode()
    response = post_login(client, "branch_a", PASSWORD)
    assert "账号已锁定" in response.content.decode() and "_auth_user_id" not in client.session
    assert AuditLog.objects.filter(action="locked").count() == 1
    services.unlock_user(people.admin, people.secretary_a)
    assert post_login(client, "branch_a", PASSWORD).status_code == 302


def test_success_resets_failure_count(client, people):
    post_login(client, "branch_a", "wrong")
    post_login(client, "branch_a", PASSWORD)
    assert User.objects.get(pk=people.secretary_a.pk).failed_logins == 0


def test_passwords_are_argon2(db):
    from django.contrib.auth.hashers import make_password

    from grassroots import settings as real

    assert real.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert make_password("x", hasher="argon2").startswith("argon2")


def test_logout_is_post_and_audited(client, people):
    login(client, people.secretary_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert AuditLog.objects.filter(action="logout", actor=people.secretary_a).exists()
    assert client.get(reverse("dashboard:home")).status_code == 302


def test_change_password(client, people):
    login(client, people.secretary_a)
    url = reverse("accounts:password")
    response = client.post(url, {"old_password": "bad", "new_password": "N3w-Secret!x", "new_password2": "N3w-Secret!x"})
    assert "原密码不正确" in response.content.decode()
    response = client.post(url, {"old_password": PASSWORD, "new_password": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200 and User.objects.get(pk=people.secretary_a.pk).check_password(PASSWORD)
    response = client.post(url, {"old_password": PASSWORD, "new_password": "N3w-Secret!x", "new_password2": "N3w-Secret!y"})
    assert "两次输入的新密码不一致" in response.content.decode()
    response = client.post(url, {"old_password": PASSWORD, "new_password": "N3w-Secret!x", "new_password2": "N3w-Secret!x"})
    assert response.status_code == 302 and User.objects.get(pk=people.secretary_a.pk).check_password("N3w-Secret!x")
    assert AuditLog.objects.filter(action="password").count() == 1


def test_token_shown_once_and_hashed(client, people):
    login(client, people.secretary_a)
    response = client.post(reverse("accounts:tokens"), {"name": "对接"})
    raw = response.context["raw"]
    assert raw.startswith("gr_") and raw in response.content.decode()
    token = people.secretary_a.api_tokens.get()
    assert raw not in (token.digest, token.prefix) and raw.startswith(token.prefix)
    assert raw not in client.get(reverse("accounts:tokens")).content.decode()
    assert services.user_for_token(raw) == people.secretary_a


def test_scoping_paths(tree, people):
    assert scoping.read_paths(people.admin) == [scoping.ALL]
    assert scoping.manage_paths(people.secretary_a) == [tree.branch_a.path]
    assert scoping.manage_paths(people.supervisor) == []
    assert scoping.read_paths(people.supervisor) == [tree.district_a.path]
    assert scoping.record_paths(people.member_a) == []
    assert scoping.minimal_prefixes(["00010001", "0001", "0002"]) == ["0001", "0002"]


def test_org_dept_grants_inside_subtree_only(tree, people):
    assignment = services.grant_role(people.dept_a, people.nobody, Role.SECRETARY, tree.branch_b)
    assert AuditLog.objects.for_object(assignment).get().action == "grant"
    with pytest.raises(PermissionDenied):
        services.grant_role(people.dept_a, people.nobody, Role.SECRETARY, tree.b_branch)
    with pytest.raises(PermissionDenied):
        services.grant_role(people.dept_a, people.nobody, Role.ADMIN, tree.branch_b)
    with pytest.raises(PermissionDenied):
        services.grant_role(people.secretary_a, people.nobody, Role.MEMBER, tree.branch_a)
    with pytest.raises(ValidationError):
        services.grant_role(people.dept_a, people.nobody, Role.SECRETARY, tree.branch_b)
    services.revoke_role(people.dept_a, assignment)
    assert not RoleAssignment.objects.active().filter(pk=assignment.pk).exists()
    assert AuditLog.objects.filter(action="revoke").count() == 1


def test_user_pages(client, tree, people):
    login(client, people.dept_a)
    html = client.get(reverse("accounts:user_list")).content.decode()
    assert "branch_a" in html and "city_zzb" not in html
    assert client.get(reverse("accounts:user_detail", args=[people.city_dept.pk])).status_code == 404
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "new_sj", "full_name": "新书记", "password": "Xin-Shu-Ji-2026", "role": "secretary", "org": tree.branch_b.code},
    )
    assert response.status_code == 302
    new = User.objects.get(username="new_sj")
    assert scoping.manage_paths(new) == [tree.branch_b.path]
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "bad", "full_name": "x", "password": "Xin-Shu-Ji-2026", "role": "secretary", "org": tree.b_branch.code},
    )
    assert "不在您的管理范围内" in response.content.decode() and not User.objects.filter(username="bad").exists()
    login(client, people.secretary_a)
    assert client.get(reverse("accounts:user_list")).status_code == 403


def test_switch_scope(client, tree, people):
    RoleAssignment.objects.create(user=people.secretary_a, role=Role.SUPERVISOR, org=tree.district_b)
    login(client, people.secretary_a)
    roles = scoping.active_roles(User.objects.get(pk=people.secretary_a.pk))
    other = [a for a in roles if a.role == Role.SUPERVISOR][0]
    client.post(reverse("accounts:switch_scope"), {"role": other.pk})
    assert "中共常州市天宁区委员会" in client.get(reverse("dashboard:home")).content.decode()
    client.post(reverse("accounts:switch_scope"), {"role": 999999})
    assert client.session[scoping.SCOPE_SESSION_KEY] == other.pk
