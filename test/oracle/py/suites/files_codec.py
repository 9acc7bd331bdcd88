"""File bytes in the files suites' JSON: zero-run encoded, then base64; zip timestamps frozen.

HDF5 files are mostly runs of zero bytes (free space, unused B-tree slots), so the files suites (whose cases and
answers carry whole files) store them zero-run encoded: a sequence of records `uvarint(L) <L literal bytes>
uvarint(Z)` standing for the L bytes then Z zeros, to the end of the data. The same code is in
test/oracle/checks/files.ts (fileEntry, fileBytes). It is deterministic everywhere (zlib's output depends on the zlib build).

Zip archives (.keras, NumPy's .npz) record the time each member was written, a .keras's metadata.json its
`date_saved`, and its config.json numbers shared objects (`shared_object_id`) by their memory address: freeze_zip
sets the times and the date to fixed values and renumbers the ids by first appearance, in place, so the same
model saves to the same bytes, the rest of the archive exactly as Keras or NumPy wrote it.
"""
import base64
import hashlib
import struct
import zipfile
import zlib
import io
import re

MIN_RUN = 8  # shorter zero runs stay literal (a record costs at least two bytes)


def _uvarint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _read_uvarint(data, pos):
    shift = value = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def zero_run_encode(data):
    out = bytearray()
    pos = 0
    for m in re.finditer(rb"\x00{%d,}" % MIN_RUN, data):
        out += _uvarint(m.start() - pos) + data[pos:m.start()] + _uvarint(m.end() - m.start())
        pos = m.end()
    if pos < len(data):
        out += _uvarint(len(data) - pos) + data[pos:] + _uvarint(0)
    return bytes(out)


def zero_run_decode(data):
    out = bytearray()
    pos = 0
    while pos < len(data):
        literal, pos = _read_uvarint(data, pos)
        out += data[pos:pos + literal]
        pos += literal
        zeros, pos = _read_uvarint(data, pos)
        out += bytes(zeros)
    return bytes(out)


def file_entry(name, data):
    """A file as the suites' JSON carries it: {name, size, sha256, zr_b64}."""
    return {
        "name": name,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "zr_b64": base64.b64encode(zero_run_encode(data)).decode("ascii"),
    }


def file_bytes(entry):
    data = zero_run_decode(base64.b64decode(entry["zr_b64"]))
    if len(data) != entry["size"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise ValueError(f"file {entry['name']}: the decoded bytes do not match size/sha256")
    return data


# ---- zip archives with frozen timestamps ----

DOS_TIME = 0  # 00:00:00
DOS_DATE = (1 << 5) | 1  # 1980-01-01
FROZEN_DATE_SAVED = b"1980-01-01@00:00:00"


def _frozen_date(content):
    return re.sub(rb'"date_saved": "[0-9]{4}-[0-9]{2}-[0-9]{2}@[0-9:]{8}"', b'"date_saved": "' + FROZEN_DATE_SAVED + b'"', content)


def _frozen_shared_ids(content):
    """Keras 3 numbers shared objects by id(), a memory address: each distinct id becomes 10^(digits-1) + k, k
    its rank of first appearance (same length, so the member is patched in place; the sharing is kept)."""
    ids = {}

    def renumber(m):
        old = m.group(2)
        new = ids.setdefault(old, str(10 ** (len(old) - 1) + len(ids) + 1).encode())
        if len(new) != len(old):
            raise ValueError("too many shared objects to renumber in place")
        return m.group(1) + new

    return re.sub(rb'("shared_object_id": )([0-9]+)', renumber, content)


MEMBER_FREEZERS = {"metadata.json": _frozen_date, "config.json": _frozen_shared_ids}


def _patch_member(buf, info, local, freeze):
    """A stored member's content, frozen in place (same length), and its CRC in the local header; returns the CRC."""
    name_len, extra_len = struct.unpack_from("<HH", buf, local + 26)
    start = local + 30 + name_len + extra_len
    content = bytes(buf[start:start + info.compress_size])
    if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x8:
        raise ValueError(f"{info.filename} is compressed or streamed: it cannot be frozen in place")
    frozen = freeze(content)
    if len(frozen) != len(content):
        raise ValueError(f"freezing {info.filename} changed its length")
    buf[start:start + len(content)] = frozen
    crc = zlib.crc32(frozen) & 0xFFFFFFFF
    struct.pack_into("<I", buf, local + 14, crc)
    return crc


def freeze_zip(data):
    """The archive with every member's time set to 1980-01-01 00:00, date_saved fixed and shared_object_id renumbered."""
    buf = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        start_dir = zf.start_dir
    central = start_dir
    for info in infos:
        if bytes(buf[central:central + 4]) != b"PK\x01\x02":
            raise ValueError("unexpected zip central directory layout")
        local = info.header_offset
        struct.pack_into("<HH", buf, local + 10, DOS_TIME, DOS_DATE)
        struct.pack_into("<HH", buf, central + 12, DOS_TIME, DOS_DATE)
        if info.filename in MEMBER_FREEZERS:
            struct.pack_into("<I", buf, central + 16, _patch_member(buf, info, local, MEMBER_FREEZERS[info.filename]))
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", buf, central + 28)
        central += 46 + name_len + extra_len + comment_len
    with zipfile.ZipFile(io.BytesIO(bytes(buf))) as zf:
        if zf.testzip() is not None:
            raise ValueError("freeze_zip broke a member's CRC")
    return bytes(buf)
