"""Part 9: yearly rounds of secretaries' reports, superior comments, representatives' ballots, combined scores, published results."""
