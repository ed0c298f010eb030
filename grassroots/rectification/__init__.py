"""Part 1 of the 2014 notice: screening, one case per organization, measures, acceptance after a satisfaction poll, follow-up against 回潮."""
