from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "xiaoneng.projects"
    verbose_name = "重大项目调度"
