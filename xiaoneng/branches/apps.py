from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.nav import NavEntry


class BranchesConfig(AppConfig):
    name = "xiaoneng.branches"
    label = "branches"
    verbose_name = _("机关–社区联建")
    nav = [
        NavEntry(_("机关–社区联建"), "branches:branch_list", order=42, model="units.PartyBranch")
    ]
