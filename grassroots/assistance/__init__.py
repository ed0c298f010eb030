"""Part 3: pairings, first secretaries and work teams, task books, household links, assessment of stationed cadres."""
