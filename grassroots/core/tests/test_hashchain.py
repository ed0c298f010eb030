"""The generic hash chain: canonical JSON, link hashes, and the first broken link for each kind of tampering."""

import dataclasses
import hashlib

import pytest

from grassroots.core import hashchain
from grassroots.core.hashchain import GENESIS, Link, Reason, canonical, link_hash, verify_chain


def build(n):
    links, prev = [], GENESIS
    for seq in range(1, n + 1):
        content = {"seq": seq, "title": f"第{seq}条", "amount": "12.50"}
        files = [("a.png", hashlib.sha256(f"file{seq}".encode()).hexdigest())]
        h = link_hash(content, [f[1] for f in files], prev)
        links.append(Link(seq, seq * 10, h, prev, content, [f[1] for f in files], [(name, sha, sha) for name, sha in files]))
        prev = h
    return links


def test_canonical_json_is_sorted_compact_utf8():
    assert canonical({"b": 1, "a": "村务"}) == '{"a":"村务","b":1}'.encode()


def test_link_hash_ignores_attachment_order_but_not_content():
    assert link_hash({"x": 1}, ["b", "a"], GENESIS) == link_hash({"x": 1}, ["a", "b"], GENESIS)
    assert link_hash({"x": 1}, [], GENESIS) != link_hash({"x": 2}, [], GENESIS)
    assert link_hash({"x": 1}, [], GENESIS) != link_hash({"x": 1}, [], "1" * 64)


def test_intact_chain_passes():
    links = build(4)
    assert verify_chain(links, head_seq=4, head_hash=links[-1].hash) is None
    assert verify_chain([], head_seq=0) is None


@pytest.mark.parametrize(
    ("tamper", "seq", "reason"),
    [
        (lambda ls: ls[1].content.update(title="改过"), 2, Reason.CONTENT),
        (lambda ls: setattr(ls[2], "prev_hash", "f" * 64), 3, Reason.PREV),
        (lambda ls: ls.pop(1), 2, Reason.MISSING),
        (lambda ls: ls.pop(0), 1, Reason.MISSING),
        (lambda ls: ls.pop(), 4, Reason.HEAD),
        (lambda ls: ls[0].files.__setitem__(0, ("a.png", ls[0].files[0][1], "0" * 64)), 1, Reason.ATTACHMENT),
        (lambda ls: ls[3].files.__setitem__(0, ("a.png", ls[3].files[0][1], None)), 4, Reason.ATTACHMENT),
        (lambda ls: ls[2].attachment_hashes.append("e" * 64), 3, Reason.CONTENT),
    ],
)
def test_first_broken_link_is_named(tamper, seq, reason):
    links = build(4)
    head_hash = links[-1].hash
    tamper(links)
    broken = verify_chain(links, head_seq=4, head_hash=head_hash)
    assert broken is not None and (broken.seq, broken.reason) == (seq, reason)
    assert str(broken).startswith(f"第 {seq} 条")


def test_rehashed_item_still_breaks_the_next_link():
    """Whoever recomputes a changed item's hash must also rewrite every later item: the next prev link breaks."""
    links = build(3)
    links[0].content["title"] = "改过"
    links[0] = dataclasses.replace(links[0], hash=link_hash(links[0].content, links[0].attachment_hashes, GENESIS))
    broken = verify_chain(links)
    assert (broken.seq, broken.reason) == (2, Reason.PREV)


def test_head_hash_mismatch_is_reported():
    links = build(2)
    broken = hashchain.verify_chain(links, head_seq=2, head_hash="a" * 64)
    assert broken.reason == Reason.HEAD and broken.seq == 2
