from django.apps import AppConfig

from xiaoneng.core.nav import NavEntry


class UnitsConfig(AppConfig):
    name = "xiaoneng.units"
    verbose_name = "单位"
    nav = [NavEntry("单位", "units:list", order=90)]
