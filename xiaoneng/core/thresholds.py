"""Per-app thresholds, read one way and validated by a system check.

An app declares its thresholds once, in its `conf.py`:

    THRESHOLDS = Thresholds(
        "supervision",
        Threshold("XIAONENG_LIGHT_YELLOW_DAYS", 3, "…", minimum=0),
        …,
        ordered=[("XIAONENG_A_YELLOW", "XIAONENG_A_RED")],
    )

and reads them with `THRESHOLDS.get(name)`. A value comes from the Django setting of the
same name if there is one (tests set it; `settings.XIAONENG_LIGHT_YELLOW_DAYS = 5`), else
from the environment variable, else the default. It is read on every use, so a test's
setting or a restart with a new environment takes effect at once.

`core.checks.check_thresholds` validates every declared threshold at start-up: a value that
does not parse, lies outside its range, or a yellow limit beyond its red one is an Error
naming the variable, its value and what is expected.
"""

import dataclasses
import itertools
import os
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings

from xiaoneng.env import ConfigError

REGISTRY: dict[str, "Thresholds"] = {}


def whole_number(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ConfigError("expected a whole number") from None


def decimals(raw: str) -> tuple[Decimal, ...]:
    """'10,20,30' → (Decimal('10'), Decimal('20'), Decimal('30'))."""
    try:
        return tuple(Decimal(p.strip()) for p in raw.split(",") if p.strip())
    except InvalidOperation:
        raise ConfigError("expected numbers separated by commas, e.g. 10,20,30") from None


@dataclasses.dataclass(frozen=True)
class Threshold:
    name: str  # the environment variable; a Django setting of this name overrides it
    default: Any
    help: str
    parse: Callable[[str], Any] = whole_number
    minimum: int | Decimal | None = 0  # inclusive; for a list, each of its values
    maximum: int | Decimal | None = None
    ascending: bool = False  # a list whose values must rise strictly

    def get(self) -> Any:
        if hasattr(settings, self.name):
            return getattr(settings, self.name)
        raw = os.environ.get(self.name)
        if raw is None or raw.strip() == "":
            return self.default
        try:
            return self.parse(raw)
        except ConfigError as exc:
            raise ConfigError(f"{self.name}={raw!r}: {exc}") from None

    def problems(self, value: Any) -> list[str]:
        values = list(value) if isinstance(value, tuple | list) else [value]
        found = []
        if isinstance(value, tuple | list) and not values:
            found.append("give at least one value")
        for v in values:
            if self.minimum is not None and v < self.minimum:
                found.append(f"must not be below {self.minimum}")
                break
            if self.maximum is not None and v > self.maximum:
                found.append(f"must not be above {self.maximum}")
                break
        if self.ascending and any(a >= b for a, b in itertools.pairwise(values)):
            found.append("must rise strictly, e.g. 10,20,30")
        return found


class Thresholds:
    """The thresholds of one app, registered for the system check."""

    def __init__(
        self, app: str, *thresholds: Threshold, ordered: Iterable[tuple[str, str]] = ()
    ) -> None:
        self.app = app
        self.by_name = {t.name: t for t in thresholds}
        self.ordered = list(ordered)  # (lower, upper): lower must not exceed upper
        for pair in self.ordered:
            for name in pair:
                if name not in self.by_name:
                    raise KeyError(name)
        REGISTRY[app] = self

    def get(self, name: str) -> Any:
        return self.by_name[name].get()

    def __iter__(self):
        return iter(self.by_name.values())

    def problems(self) -> list[str]:
        """Every misconfiguration, one sentence each (the system check's messages)."""
        found, values = [], {}
        for threshold in self:
            try:
                values[threshold.name] = value = threshold.get()
            except ConfigError as exc:
                found.append(str(exc))
                continue
            found += [f"{threshold.name}={_show(value)}: {p}" for p in threshold.problems(value)]
        for lower, upper in self.ordered:
            if lower in values and upper in values and values[lower] > values[upper]:
                found.append(
                    f"{lower}={_show(values[lower])} is above {upper}={_show(values[upper])}: "
                    "the yellow limit must not pass the red one"
                )
        return found


def _show(value: Any) -> str:
    if isinstance(value, tuple | list):
        return ",".join(str(v) for v in value)
    return str(value)
