"""Numbers used to group members. Party statistics count "35 岁及以下" as young members."""

# 党内统计 groups members of 35 and under as young (青年党员); the tree shows "under 35" by that line.
YOUNG_MAX_AGE = 35
