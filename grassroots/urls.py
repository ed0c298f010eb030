"""Every app whose AppConfig sets `url_prefix` has its `urls.py` mounted there, and one that sets
`public_url_prefix` has its `public_urls.py` (pages without login) mounted there (grassroots/core/registry.py),
in INSTALLED_APPS order."""

from django.contrib import admin
from django.urls import include, path

from .api import api
from .core.registry import grassroots_apps
from .core.scoping import is_system_admin

admin.site.site_header = "基层党建工作平台 · 后台管理"
admin.site.site_title = "基层党建工作平台"
# Only system administrators (is_staff together with the admin role, or superusers) get into the admin.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_staff and is_system_admin(request.user)


def app_urlpatterns():
    patterns = []
    for config in grassroots_apps():
        if getattr(config, "url_prefix", None) is not None:
            patterns.append(path(config.url_prefix, include(f"{config.name}.urls")))
        if getattr(config, "public_url_prefix", None) is not None:
            patterns.append(path(config.public_url_prefix, include(f"{config.name}.public_urls")))
    return patterns


def build_urlpatterns():
    return [*app_urlpatterns(), path("api/v1/", api.urls), path("admin/", admin.site.urls)]


urlpatterns = build_urlpatterns()
