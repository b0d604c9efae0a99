from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.nav import NavEntry


class UnitsConfig(AppConfig):
    name = "xiaoneng.units"
    verbose_name = "单位"
    nav = [NavEntry(_("单位"), "units:list", order=90, model="units.Unit")]
