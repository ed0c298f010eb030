"""The home page and its figures: above the domain apps, since it shows what they count."""
