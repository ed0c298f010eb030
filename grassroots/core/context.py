"""Who is acting and from where, for the audit trail.

The middleware fills these for each web or API request; management commands and
tests may use `acting_as()` to set them explicitly.
"""

import contextlib
import contextvars
import uuid

request_id_var = contextvars.ContextVar("request_id", default="")
client_ip_var = contextvars.ContextVar("client_ip", default="")
user_var = contextvars.ContextVar("user", default=None)


def new_request_id():
    return uuid.uuid4().hex


def current_request_id():
    return request_id_var.get()


def current_client_ip():
    return client_ip_var.get()


def current_user():
    return user_var.get()


@contextlib.contextmanager
def acting_as(user=None, *, ip="", request_id=None):
    tokens = [
        user_var.set(user),
        client_ip_var.set(ip),
        request_id_var.set(request_id or new_request_id()),
    ]
    try:
        yield
    finally:
        for var, token in zip((user_var, client_ip_var, request_id_var), tokens, strict=True):
            var.reset(token)
