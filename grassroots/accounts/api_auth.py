"""How the REST API knows who calls: a personal API token, or the browser's login session."""

from django.conf import settings
from ninja.security import APIKeyCookie, HttpBearer

from grassroots.core import context

from . import services as account_services


class TokenAuth(HttpBearer):
    """Authorization: Bearer gr_... (a personal API token)."""

    def authenticate(self, request, token):
        user = account_services.user_for_token(token)
        if user is None:
            return None
        request.user = user
        context.user_var.set(user)
        return user


class SessionAuth(APIKeyCookie):
    """The browser's login session, so pages and the interactive docs can call the API (CSRF-checked)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        if request.user.is_authenticated:
            return request.user
        return None
