"""Part 8: standards as dated local data, the yearly check campaign, township cadres' conditions."""
