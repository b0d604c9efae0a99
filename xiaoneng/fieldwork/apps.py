from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.nav import NavEntry


class FieldworkConfig(AppConfig):
    name = "xiaoneng.fieldwork"
    verbose_name = _("一线工作法（下基层）")
    # Everyone who sees a visit gets the menu entry (a community sees who came to it).
    nav = [NavEntry(_("下基层"), "fieldwork:visit_list", order=40, model="fieldwork.Visit")]
    # The workbench: a leader's own year at the grassroots (core.workbench).
    workbench = "xiaoneng.fieldwork.workbench.panels"
