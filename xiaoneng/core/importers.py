"""The importers of `xiaoneng import <kind> …` (core/management/commands/import.py), and the
pieces every importer shares: the terminal progress bar and the error report.

An app registers an importer with one line in its AppConfig, like its navigation:

    importers = ["xiaoneng.projects.cli.ProjectsImporter"]

An importer has `name` (the KIND), `help`, `add_arguments(parser)` and
`run(command, options, progress) -> str` (the summary line). It runs acting as the system,
with a progress bar on stderr; an ImportFailed is printed row by row and the command exits
with status 1.
"""

import sys
import time
from typing import Any, Protocol

from django.apps import apps
from django.utils.module_loading import import_string

from xiaoneng.core.xlsx import ImportFailed

STAGES = {
    "reading": "读取",
    "checking": "校验",
    "writing": "写入",
    "done": "完成",
    "failed": "失败",
}


class Importer(Protocol):
    name: str
    help: str

    def add_arguments(self, parser) -> None: ...

    def run(self, command, options: dict[str, Any], progress) -> str: ...


def registered_importers() -> dict[str, Importer]:
    """KIND → importer, from every installed app's `importers`."""
    found: dict[str, Importer] = {}
    for config in apps.get_app_configs():
        for path in getattr(config, "importers", ()):
            importer = import_string(path)()
            if importer.name in found:
                raise ValueError(f"two importers named {importer.name!r} ({path})")
            found[importer.name] = importer
    return found


class ProgressBar:
    """A one-line bar on stderr, redrawn in place with \\r (no dependency).

    Redraws at most ten times a second; `close()` ends the line.
    """

    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stderr
        self.width = width
        self._last = 0.0
        self._shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        final = stage in ("done", "failed") or (total and done >= total)
        if not final and now - self._last < 0.1:
            return
        self._last = now
        label = STAGES.get(stage, stage)
        if total:
            filled = int(self.width * done / total)
            bar = "#" * filled + "-" * (self.width - filled)
            line = f"\r{label} [{bar}] {done * 100 // total:3d}% {done}/{total}"
        else:
            line = f"\r{label} …"
        self.stream.write(line.ljust(self.width + 40))
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False


def report_failure(command, exc: ImportFailed) -> None:
    for warning in exc.warnings:
        command.stderr.write(f"提示：{warning}")
    command.stderr.write(f"发现 {len(exc.errors)} 处错误，未导入任何数据：")
    for error in exc.errors:
        command.stderr.write(f"  {error}")
