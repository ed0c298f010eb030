from django.apps import AppConfig


class GuaranteesConfig(AppConfig):
    name = "grassroots.guarantees"
    label = "guarantees"
    verbose_name = "基础保障"
    url_prefix = "guarantees/"
    api_prefix = "/guarantees"
