from xiaoneng.conftest import make_unit
from xiaoneng.units.models import Level


def samples(ctx) -> dict:
    hidden = make_unit("530112999", f"{ctx['marker']}街道", Level.TOWNSHIP, ctx["county_a"])
    ctx["hidden_unit"] = hidden
    return {
        "core:restore": {"label": "units.unit", "pk": hidden.pk},
    }
