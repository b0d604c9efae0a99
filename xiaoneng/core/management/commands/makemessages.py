"""`makemessages` that also reads `gettext_now(...)`: the name a module gives gettext when
its `_` is gettext_lazy (forms, ledgers), so that both kinds are extracted."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=gettext_now"]
