"""`id IN (…)` with an integer the column cannot hold.

Django 5 answers `filter(pk=2**70)` with no rows (its IntegerFieldOverflow), but not
`filter(pk__in=[2**70])`: SQLite raises OverflowError, and a form's ModelMultipleChoiceField
(co-units, the units of a decomposition) runs exactly that query on what was posted. Such an
integer matches no row, so it is left out of the list.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                v
                for v in self.rhs
                if not isinstance(v, int)
                or ((low is None or v >= low) and (high is None or v <= high))
            ]
        return super().process_rhs(compiler, connection)
