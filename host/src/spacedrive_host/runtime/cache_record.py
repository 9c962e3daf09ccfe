"""The signed record that lets a compile-cache entry be used without reading it.

An entry is a serialized artifact (`Module.serialize`, ~35 MB for a Python
plugin) that wasmtime maps straight from its file (`deserialize_file`) and
trusts as native code. Beside it, the host writes a small record, under a key
private to its data directory (``hmac.key``, mode 0600):

* ``content``: HMAC-SHA256 of the entry's name and every byte of the artifact,
  computed by the host over the bytes it wrote (or has just verified);
* ``identity``: HMAC-SHA256 of the name, ``content`` and the file's identity as
  ``fstat`` gives it: device, inode, size, mtime_ns, ctime_ns.

A load whose open file matches the signed identity maps it without reading it
(the whole cost is wasmtime's ~15 ms); any other file (written to, replaced,
copied, restored, hard-linked: each changes the inode or ctime) is read in
full and checked against ``content``, and on success the record is re-signed
for the new identity. A forged or altered record fails both MACs.

Threat model: whoever lacks the key cannot make the host run an artifact it did
not compile. The cache (`module_cache`) accepts only a directory, key and
entries that are this user's and not writable by others, so no other user can
replace the key or rewrite a verified file between the check and the map.
Changing a file's bytes always moves its ctime, which only root can set (or the
clock); whoever can write the entry (this user) can read the key, so the record
promises no more than the whole-file MAC did against them. What the fast path
gives up is detecting silent corruption below the filesystem (bit rot with no
write): the same trust the host gives its own shared libraries.
"""

from __future__ import annotations

import hashlib
import hmac
import mmap
import os
import struct

__all__ = ["RECORD_LEN", "Identity", "content_mac", "identity_of", "record", "record_matches"]

_MAGIC = b"SDCR\x01"
_MAC = 32
RECORD_LEN = len(_MAGIC) + 2 * _MAC
#: How much of the artifact one HMAC update reads (a mapped file: no copy of it).
_CHUNK = 8 << 20

Identity = tuple[int, int, int, int, int]


def identity_of(st: os.stat_result) -> Identity:
    """What a file's bytes cannot change without changing: device, inode, size, mtime, ctime."""
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def content_mac(key: bytes, name: str, artifact: bytes | memoryview | mmap.mmap) -> bytes:
    """The MAC of entry ``name``'s artifact (the name too: an authentic artifact of
    one plugin is no good in another's entry)."""
    mac = hmac.new(key, b"content\0" + name.encode() + b"\0", hashlib.sha256)
    view = memoryview(artifact)
    for start in range(0, len(view), _CHUNK):
        mac.update(view[start : start + _CHUNK])
    return mac.digest()


def _identity_mac(key: bytes, name: str, content: bytes, identity: Identity) -> bytes:
    msg = b"identity\0" + name.encode() + b"\0" + content + struct.pack("<5Q", *identity)
    return hmac.digest(key, msg, "sha256")


def record(key: bytes, name: str, content: bytes, identity: Identity) -> bytes:
    """The record of entry ``name`` whose artifact has MAC ``content``, bound to ``identity``."""
    return _MAGIC + content + _identity_mac(key, name, content, identity)


def record_matches(
    key: bytes, name: str, data: bytes | None, identity: Identity
) -> tuple[bool, bytes | None]:
    """(whether ``data`` is a record of ``name`` signed for ``identity``, the content MAC it
    claims, to check a changed file against; None when it is no record at all)."""
    if data is None or len(data) != RECORD_LEN or not data.startswith(_MAGIC):
        return False, None
    content, signed = data[len(_MAGIC) : len(_MAGIC) + _MAC], data[len(_MAGIC) + _MAC :]
    return hmac.compare_digest(signed, _identity_mac(key, name, content, identity)), content
