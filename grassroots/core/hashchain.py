"""A tamper-evident hash chain, generic and small.

Each link's hash is SHA-256 over the canonical JSON (sorted keys, UTF-8, no whitespace) of
{"content": the item's content fields, "attachments": the sorted SHA-256s of its files, "prev": the previous
link's hash}. Links are numbered 1, 2, 3... per chain; the first link's "prev" is GENESIS. Changing any
field, any file, or removing a link changes a hash that a later check recomputes: `verify_chain` names the
first link where the recorded and the recomputed chain part.

The app owning the items decides what "content" is and keeps (seq, hash, prev_hash) on each row and the
chain's head (last seq and hash) in a row it locks while appending, so two appends cannot fork the chain.
"""

import datetime
import decimal
import hashlib
import json
from dataclasses import dataclass, field

GENESIS = "0" * 64


def _default(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError(f"not canonical JSON: {type(value).__name__}")


def canonical(data):
    """The canonical bytes of a JSON-able value: sorted keys, UTF-8 as is, no whitespace."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default).encode("utf-8")


def link_hash(content, attachment_hashes, prev_hash):
    """The hex SHA-256 of one link."""
    payload = {"content": content, "attachments": sorted(attachment_hashes), "prev": prev_hash}
    return hashlib.sha256(canonical(payload)).hexdigest()


def file_sha256(fileobj, chunk_size=1 << 16):
    digest = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(chunk_size), b""):
        digest.update(chunk)
    return digest.hexdigest()


class Reason:
    MISSING = "missing"
    PREV = "prev"
    CONTENT = "content"
    ATTACHMENT = "attachment"
    HEAD = "head"


REASON_LABELS = {
    Reason.MISSING: "缺少序号（记录被删除）",
    Reason.PREV: "与前一条的链接不符",
    Reason.CONTENT: "内容哈希不符（记录被改动）",
    Reason.ATTACHMENT: "附件文件被改动或缺失",
    Reason.HEAD: "链尾记录缺失（最后的记录被删除）",
}


@dataclass
class Link:
    """One item as the check sees it. `files` holds (name, recorded sha256, actual sha256 or None if missing)."""

    seq: int
    pk: object
    hash: str
    prev_hash: str
    content: dict
    attachment_hashes: list = field(default_factory=list)
    files: list = field(default_factory=list)


@dataclass
class Break:
    seq: int
    pk: object
    reason: str
    detail: str = ""

    @property
    def reason_label(self):
        return REASON_LABELS.get(self.reason, self.reason)

    def as_dict(self):
        return {"seq": self.seq, "pk": self.pk, "reason": self.reason, "reason_label": self.reason_label, "detail": self.detail}

    def __str__(self):
        text = f"第 {self.seq} 条（编号 {self.pk}）：{self.reason_label}"
        return f"{text}，{self.detail}" if self.detail else text


def verify_chain(links, *, head_seq=None, head_hash=None):
    """Check links in seq order; return the first Break, or None when the chain is intact.

    `head_seq`/`head_hash` are the chain head's record of its last link: a chain cut short at the end (the
    last rows deleted) is caught there, as nothing after them would notice."""
    expected_seq, prev = 1, GENESIS
    last = None
    for link in links:
        if link.seq != expected_seq:
            return Break(expected_seq, None if link.seq > expected_seq else link.pk, Reason.MISSING,
                         f"应为第 {expected_seq} 条，实为第 {link.seq} 条")
        if link.prev_hash != prev:
            return Break(link.seq, link.pk, Reason.PREV)
        if link_hash(link.content, link.attachment_hashes, link.prev_hash) != link.hash:
            return Break(link.seq, link.pk, Reason.CONTENT)
        for name, recorded, actual in link.files:
            if actual != recorded:
                return Break(link.seq, link.pk, Reason.ATTACHMENT, f"《{name}》" + ("文件缺失" if actual is None else "内容已变"))
        prev, last = link.hash, link
        expected_seq += 1
    if head_seq is not None and head_seq >= expected_seq:
        return Break(expected_seq, None, Reason.HEAD, f"链头记录共 {head_seq} 条，实有 {expected_seq - 1} 条")
    if head_hash is not None and head_seq is not None and last is not None and head_seq == last.seq and head_hash != last.hash:
        return Break(last.seq, last.pk, Reason.HEAD, "链头记录的哈希与最后一条不符")
    return None
