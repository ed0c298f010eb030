"""Demo data for relations (called by grassroots.core.synthetic.load for the demo scale)."""


def generate_demo(today, seed, log):
    """Add this app's demo records; return nothing. `log(message)` prints progress."""
