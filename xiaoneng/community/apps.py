from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.nav import NavEntry


class CommunityConfig(AppConfig):
    name = "xiaoneng.community"
    verbose_name = _("社区共治")
    # Residents and staff who see some community's matters get the entry.
    nav = [NavEntry(_("社区议事"), "community:matter_list", order=48, model="community.Matter")]
    # The community staff's to-dos: matters to list, reports to handle, overdue handling.
    workbench = "xiaoneng.community.workbench.panels"
