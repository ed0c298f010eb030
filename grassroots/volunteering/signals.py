"""What volunteering tells other apps without importing them (they import this module and connect)."""

from django.dispatch import Signal

# Sent inside the transaction when the community confirms hours of service (recorded by the desk, or a member's
# report approved), with `log` (a ServiceLog). The points app connects: confirmed service earns points.
service_confirmed = Signal()
