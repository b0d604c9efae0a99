from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.nav import NavEntry


class ProjectsConfig(AppConfig):
    name = "xiaoneng.projects"
    verbose_name = _("重大项目调度")
    nav = [NavEntry(_("重大项目"), "projects:dashboard", order=30, model="projects.Project")]
    # The workbench's panels (core.workbench): monthly reports due, the KPIs of one's scope.
    workbench = "xiaoneng.projects.workbench.panels"
    # `xiaoneng import projects FILE.xlsx --batch 2022Q2`
    importers = ["xiaoneng.projects.cli.ProjectsImporter"]
