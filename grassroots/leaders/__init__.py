"""Part 2: village and community leaders: 两委换届, candidate vetting, reserve talent pool, training, 述职述廉, exit audits."""
