from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

ITEMS = [MenuItem("试验台账", "throwaway:index", Section.OVERSIGHT, show=scoping.reads_records, active_on=("throwaway:*",))]
