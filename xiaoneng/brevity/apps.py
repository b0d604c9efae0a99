from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.nav import NavEntry


class BrevityConfig(AppConfig):
    name = "xiaoneng.brevity"
    verbose_name = _("会风文风")
    nav = [
        NavEntry(_("会风文风"), "brevity:meeting_list", order=46, model="brevity.Meeting"),
        NavEntry(_("文稿检查"), "brevity:analyze", order=47, action="analyze_documents"),
    ]
