"""Every change to accounts, roles and tokens, and every login, goes through these functions."""

import datetime
import secrets

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from grassroots.core import audit, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.roles import Role

from . import rules
from .models import ApiToken, RoleAssignment, User, hash_token

LOCKED_MESSAGE = "登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试或联系管理员"
BAD_LOGIN_MESSAGE = "用户名或密码不正确"


def log_in(request, username, password):
    """Check a password with lock-out; returns the user or raises ValidationError (nothing said about which part was wrong)."""
    user = User.objects.filter(username=username).first()
    if user is not None and user.is_locked():
        audit.record(audit.Action.LOGIN_FAILED, user, actor=user, note="账号锁定期间尝试登录")
        raise ValidationError(LOCKED_MESSAGE.format(minutes=rules.lock_minutes()))
    authenticated = authenticate(request, username=username, password=password)
    if authenticated is None:
        if user is not None and _count_failure_and_lock(user):
            raise ValidationError(LOCKED_MESSAGE.format(minutes=rules.lock_minutes()))
        if user is None:
            audit.record(audit.Action.LOGIN_FAILED, object_repr=username[:150], note="账号不存在")
        raise ValidationError(BAD_LOGIN_MESSAGE)
    User.objects.filter(pk=authenticated.pk).update(failed_logins=0, locked_until=None)
    audit.record(audit.Action.LOGIN, authenticated, actor=authenticated)
    return authenticated


def _count_failure_and_lock(user):
    """Count a failed login; lock the account at the limit. Returns True when it was locked."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins"])
        audit.record(audit.Action.LOGIN_FAILED, user, actor=user, note=f"连续第 {user.failed_logins} 次失败")
        if user.failed_logins >= rules.max_login_failures():
            until = timezone.now() + datetime.timedelta(minutes=rules.lock_minutes())
            User.objects.filter(pk=user.pk).update(locked_until=until, failed_logins=0)
            audit.record(audit.Action.LOCKED, user, actor=user, note=f"锁定至 {timezone.localtime(until):%Y-%m-%d %H:%M}")
            return True
    return False


def record_logout(user):
    audit.record(audit.Action.LOGOUT, user, actor=user)


@transaction.atomic
def change_password(user, old_password, new_password):
    if not user.check_password(old_password):
        raise ValidationError({"old_password": "原密码不正确"})
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(audit.Action.PASSWORD, user, actor=user)
    return user


@transaction.atomic
def unlock_user(actor, user):
    if not scoping.is_system_admin(actor):
        raise PermissionDenied("只有系统管理员可以解锁账号")
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    audit.record(audit.Action.UPDATE, user, before={"locked": True}, after={"locked": False}, note="解除锁定", actor=actor)


@transaction.atomic
def create_user(actor, *, username, full_name, password, role, org):
    """Create an account together with its first role (an account without a role sees nothing)."""
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "该用户名已被使用"})
    _check_can_grant(actor, role, org)
    user = User(username=username, full_name=full_name)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    audit.record(audit.Action.CREATE, user, after={"username": username, "full_name": full_name}, org_path=org.path, actor=actor)
    grant_role(actor, user, role, org)
    return user


def _check_can_grant(actor, role, org):
    if role not in scoping.grantable_roles(actor) or not scoping.can_grant_on(actor, org):
        raise PermissionDenied("您不能在该党组织授予这个角色")


@transaction.atomic
def grant_role(actor, user, role, org):
    _check_can_grant(actor, role, org)
    if not org.is_active:
        raise ValidationError({"org": "不能在已撤销的党组织上授予角色"})
    if RoleAssignment.objects.active().filter(user=user, role=role, org=org).exists():
        raise ValidationError({"role": "该账号在这个党组织已经有这个角色"})
    assignment = RoleAssignment.objects.create(user=user, role=role, org=org, granted_by=actor)
    scoping.forget_roles(user)
    audit.record(
        audit.Action.GRANT,
        assignment,
        after={"user": user.username, "role": role, "org": org.name},
        org_path=org.path,
        actor=actor,
    )
    return assignment


@transaction.atomic
def revoke_role(actor, assignment):
    _check_can_grant(actor, Role(assignment.role), assignment.org)
    if assignment.revoked_at:
        raise ValidationError("该角色已经收回")
    assignment.revoked_at = timezone.now()
    assignment.revoked_by = actor
    assignment.save(update_fields=["revoked_at", "revoked_by"])
    scoping.forget_roles(assignment.user)
    audit.record(
        audit.Action.REVOKE,
        assignment,
        before={"user": assignment.user.username, "role": assignment.role, "org": assignment.org.name},
        org_path=assignment.org.path,
        actor=actor,
    )
    return assignment


TOKEN_PREFIX = "gr_"


@transaction.atomic
def create_token(user, name):
    """Returns (token, raw value). The raw value is shown once and never stored."""
    if not name.strip():
        raise ValidationError({"name": "请填写令牌用途"})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip(), prefix=raw[:10], digest=hash_token(raw))
    audit.record(audit.Action.TOKEN, token, actor=user, after={"name": token.name, "prefix": token.prefix}, note="创建")
    return token, raw


@transaction.atomic
def revoke_token(user, token):
    if token.user_id != user.pk:
        raise PermissionDenied("只能作废自己的令牌")
    if token.revoked_at:
        raise ValidationError("该令牌已经作废")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(audit.Action.TOKEN, token, actor=user, note="作废")


def user_for_token(raw):
    """The active user owning an unrevoked token, or None. Updates last use at most once a minute."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=hash_token(raw), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
