"""Reading the unit's batch registration sheet (.xlsx): name, community code, basis, skills; header row first."""

from grassroots.core.excel import data_rows

MAX_ROWS = 2000


def read_rows(uploaded):
    """[(line, name, community code, basis, skills)] from the first sheet; blank rows are skipped."""
    return [(line, c[0], c[1], c[2], c[3][:200]) for line, c in data_rows(uploaded, 4, MAX_ROWS)]
