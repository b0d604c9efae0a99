from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.nav import NavEntry


class AccountsConfig(AppConfig):
    name = "xiaoneng.accounts"
    verbose_name = "用户与角色"
    nav = [
        NavEntry(
            _("人员"), "accounts:user_list", order=95, action="manage_users", model="units.Unit"
        )
    ]
    importers = ["xiaoneng.accounts.cli.UsersImporter"]  # `xiaoneng import users`
