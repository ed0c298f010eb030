from django.apps import AppConfig


class DatasetConfig(AppConfig):
    name = "grassroots.dataset"
    label = "dataset"
    verbose_name = "演示与测试数据"
