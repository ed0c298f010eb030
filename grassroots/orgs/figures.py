"""What the tree and the organization pages need from the apps above orgs: member counts per subtree, and the
model that holds a post. orgs sits below members (a member belongs to an organization), so it imports neither;
members hands its counting functions over at start-up (MembersConfig.ready calls `provide_member_counts`)."""

from .models import Post

_member_counts = None  # the members app's stats module: counts_by_prefix, subtree_counts, labelled, empty_counts


def provide_member_counts(stats_module):
    global _member_counts
    _member_counts = stats_module


def _counts():
    if _member_counts is None:
        raise RuntimeError("member counts are provided by the members app (MembersConfig.ready); is it installed?")
    return _member_counts


def counts_by_prefix(paths):
    return _counts().counts_by_prefix(paths)


def empty_counts():
    return _counts().empty_counts()


def subtree_counts(path):
    return _counts().subtree_counts(path)


def labelled(counts):
    return _counts().labelled(counts)


def holder_model():
    """The model of a post's holder (members.Member), reached through the relation Post.holder declares."""
    return Post._meta.get_field("holder").related_model
