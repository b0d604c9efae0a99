from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.nav import NavEntry


class SupervisionConfig(AppConfig):
    name = "xiaoneng.supervision"
    verbose_name = "督查督办"
    nav = [
        NavEntry(_("我的待办"), "supervision:my_work", order=9, model="supervision.Item"),
        NavEntry(_("督查督办"), "supervision:item_list", order=10, model="supervision.Item"),
        NavEntry(
            _("负面清单"), "supervision:violation_list", order=12, model="supervision.Violation"
        ),
    ]
    workbench = "xiaoneng.supervision.workbench.panels"  # the home page's counters
    importers = ["xiaoneng.supervision.cli.ItemsImporter"]  # `xiaoneng import items`
