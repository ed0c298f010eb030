"""Signals orgs sends so that the apps above it can act without orgs importing them.

- `dissolving(sender=Organization, org=…)`: before an organization is dissolved; a receiver raises
  ValidationError (grassroots.core.errors) to refuse, e.g. members still in the register (members/receivers.py).
"""

from django.dispatch import Signal

dissolving = Signal()
