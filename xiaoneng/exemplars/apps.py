from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.nav import NavEntry


class ExemplarsConfig(AppConfig):
    name = "xiaoneng.exemplars"
    label = "exemplars"
    verbose_name = _("典型引路法")
    nav = [NavEntry(_("典型案例"), "exemplars:exemplar_list", order=44, model="exemplars.Exemplar")]
