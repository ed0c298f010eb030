"""What the public portal (grassroots/disclosure) shows of the decisions app."""


def opinions_for_disclosure(disclosure):
    """The supervisory committee's opinions and objections on one published disclosure, oldest first, as
    the public page shows them: dicts with kind ("opinion"/"objection"), kind_label, text, author_label,
    created_at, answer, answered_at."""
    return []
