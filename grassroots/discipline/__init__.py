"""Part 7: misconduct leads and cases, plaques and temporary bodies, the burden register."""
