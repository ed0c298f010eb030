"""Part 4: 双报到: registration at communities, needs and posts, claims, service log, feedback to the unit."""
