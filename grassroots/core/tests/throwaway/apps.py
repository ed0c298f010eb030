from django.apps import AppConfig


class ThrowawayConfig(AppConfig):
    """An app that exists only for core/tests/test_extension_points.py: it contributes a menu entry, a to-do
    line and periodic jobs from its own folder, and nothing else in the project names it."""

    name = "grassroots.core.tests.throwaway"
    label = "throwaway"
    verbose_name = "试验应用"
    url_prefix = "throwaway/"
