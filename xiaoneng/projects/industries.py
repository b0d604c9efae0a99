"""Industry names and their aliases: the one rule the ledger import and the summary share.

A text is an industry's name (names are unique), else one industry's alias. An alias that
two industries carry is refused, naming both (never a guess by sort order); an industry's
name wins over another industry's alias of the same text.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from xiaoneng.projects.models import Industry


class AmbiguousIndustry(LookupError):
    def __init__(self, text: str, industries: Iterable[Industry]):
        self.text = text
        self.industries = list(industries)
        names = "、".join(i.name for i in self.industries)
        super().__init__(_("行业“%(text)s”不明确：可指%(names)s") % {"text": text, "names": names})


class IndustryIndex:
    """Industries by name or alias, built once (an import looks up every row)."""

    def __init__(self, industries: Iterable[Industry] | None = None):
        if industries is None:
            industries = Industry.objects.all()
        self._names: dict[str, Industry] = {}
        self._aliases: dict[str, list[Industry]] = {}
        for industry in industries:
            self._names[industry.name] = industry
            for alias in industry.alias_list():
                found = self._aliases.setdefault(alias, [])
                if industry not in found:
                    found.append(industry)

    def find(self, text: str) -> Industry | None:
        """The industry `text` names; None if none does; AmbiguousIndustry if two."""
        text = str(text).strip()
        if text in self._names:
            return self._names[text]
        found = self._aliases.get(text, [])
        if len(found) > 1:
            raise AmbiguousIndustry(text, found)
        return found[0] if found else None
