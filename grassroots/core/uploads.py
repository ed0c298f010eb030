"""Reading an uploaded file once, in chunks: its first bytes (to check the kind by content, not by name) and its
SHA-256 digest (kept with the file; the disclosure hash chain covers it)."""

import hashlib

HEAD_BYTES = 8  # enough for every signature we check (%PDF-, PNG, JPEG, OLE, ZIP)


def read_upload(uploaded, head_bytes=HEAD_BYTES):
    """(first `head_bytes` bytes, sha256 hex digest) of an uploaded file; the file is rewound."""
    digest = hashlib.sha256()
    head = b""
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        if len(head) < head_bytes:
            head += chunk[: head_bytes - len(head)]
        digest.update(chunk)
    uploaded.seek(0)
    return head, digest.hexdigest()
