from django.conf import settings

from . import context


def client_ip(request):
    """REMOTE_ADDR, or the first X-Forwarded-For hop when behind a trusted proxy."""
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    """Gives every request an id (kept from X-Request-ID when present) and records the client address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")[:64]
        request.request_id = incoming or context.new_request_id()
        request.client_ip = client_ip(request)
        tokens = (context.request_id_var.set(request.request_id), context.client_ip_var.set(request.client_ip))
        try:
            response = self.get_response(request)
        finally:
            context.request_id_var.reset(tokens[0])
            context.client_ip_var.reset(tokens[1])
        response["X-Request-ID"] = request.request_id
        return response


class CurrentUserMiddleware:
    """Makes the logged-in user available to services that write the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if request.user.is_authenticated else None
        token = context.user_var.set(user)
        try:
            return self.get_response(request)
        finally:
            context.user_var.reset(token)
