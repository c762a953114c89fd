#!/usr/bin/env python3
"""tpm-log-replay.py - replay a TPM 2.0 event log from a VM serial log.

usage: tpm-log-replay.py SERIAL_LOG STAGE

The kaslr guest prints, at its last stage, its exported event log (base64,
numbered "KX-TPM-LOG stage=N I DATA" lines, then "KX-TPM-LOG-END"), its
PCRs 0-7 ("KX-TPM-PCR stage=N pcrI=HEX") and the log's sha256 ("KX-TPM
stage=N ... sha256=HEX"). This checks the dump is complete and is the log
the guest hashed, then extends the log's SHA-256 digests (crypto-agile
format, TCG PC Client Platform Firmware Profile) into PCRs 0-7 from their
reset values and compares with the TPM's: the log after the hops is still
the record of how the TPM reached its state. Prints one line; exit 0 when
all of it holds.
"""
import base64
import hashlib
import re
import struct
import sys

EV_NO_ACTION = 3
SHA256 = 0x000B


def parse_serial(path, stage):
    chunks, end, pcrs, digest = {}, None, {}, None
    tag = "stage=%s " % stage
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("ascii", "replace").rstrip("\r\n")
            m = re.search(r"KX-TPM-LOG " + tag + r"(\d+) ([A-Za-z0-9+/=]+)\s*$", line)
            if m:
                chunks[int(m.group(1))] = m.group(2)
                continue
            m = re.search(r"KX-TPM-LOG-END " + tag + r"lines=(\d+)", line)
            if m:
                end = int(m.group(1))
                continue
            m = re.search(r"KX-TPM-PCR " + tag + r"pcr([0-7])=([0-9A-Fa-f]{64})\s*$", line)
            if m:
                pcrs[int(m.group(1))] = bytes.fromhex(m.group(2))
                continue
            m = re.search(r"KX-TPM " + tag + r".*sha256=([0-9a-f]{64})", line)
            if m:
                digest = m.group(1)
    return chunks, end, pcrs, digest


def replay(log):
    """PCRs 0-7 from the log's SHA-256 digests; raises ValueError."""
    off = 0
    # First event: TCG_PCR_EVENT (SHA-1 format) holding the Spec ID event.
    _pcr, etype, _dig, esize = struct.unpack_from("<II20sI", log, off)
    off += 32
    spec = log[off:off + esize]
    off += esize
    if etype != EV_NO_ACTION or not spec.startswith(b"Spec ID Event03\0"):
        raise ValueError("no Spec ID Event03 at the start of the log")
    (nalg,) = struct.unpack_from("<I", spec, 24)
    sizes = {}
    for i in range(nalg):
        alg, size = struct.unpack_from("<HH", spec, 28 + 4 * i)
        sizes[alg] = size
    if SHA256 not in sizes:
        raise ValueError("the log has no SHA-256 bank (algorithms %s)" % sorted(sizes))
    pcrs = {i: bytes(32) for i in range(8)}
    n = 0
    while off < len(log):
        pcr, etype, count = struct.unpack_from("<III", log, off)
        off += 12
        d256 = None
        for _ in range(count):
            (alg,) = struct.unpack_from("<H", log, off)
            if alg not in sizes:
                raise ValueError("event %d: unknown algorithm 0x%x" % (n + 1, alg))
            if alg == SHA256:
                d256 = log[off + 2:off + 2 + sizes[alg]]
            off += 2 + sizes[alg]
        (esize,) = struct.unpack_from("<I", log, off)
        off += 4
        data = log[off:off + esize]
        if len(data) != esize:
            raise ValueError("event %d runs past the end of the log" % (n + 1))
        off += esize
        n += 1
        if etype == EV_NO_ACTION:
            # StartupLocality: PCR 0 starts at the locality, not at zero.
            if pcr == 0 and data.startswith(b"StartupLocality\0") and len(data) >= 17:
                pcrs[0] = bytes(31) + data[16:17]
            continue
        if pcr > 7:
            continue
        if d256 is None:
            raise ValueError("event %d has no SHA-256 digest" % n)
        pcrs[pcr] = hashlib.sha256(pcrs[pcr] + d256).digest()
    return pcrs, n


def main():
    if len(sys.argv) != 3:
        print("usage: tpm-log-replay.py SERIAL_LOG STAGE")
        return 2
    chunks, end, tpm, digest = parse_serial(sys.argv[1], sys.argv[2])
    if end is None or sorted(chunks) != list(range(1, end + 1)):
        print("stage %s's log dump is incomplete (%d lines, end %s)" % (sys.argv[2], len(chunks), end))
        return 1
    log = base64.b64decode("".join(chunks[i] for i in range(1, end + 1)))
    got = hashlib.sha256(log).hexdigest()
    if got != digest:
        print("the dumped log's sha256 %s is not the guest's %s" % (got, digest))
        return 1
    if sorted(tpm) != list(range(8)):
        print("stage %s printed PCRs %s, not 0-7" % (sys.argv[2], sorted(tpm)))
        return 1
    try:
        pcrs, n = replay(log)
    except (ValueError, struct.error) as e:
        print("cannot replay the log: %s" % e)
        return 1
    bad = [i for i in range(8) if pcrs[i] != tpm[i]]
    if bad:
        print("replaying %d events does not give the TPM's PCR %s (replay %s, TPM %s)"
              % (n, ",".join(map(str, bad)), pcrs[bad[0]].hex(), tpm[bad[0]].hex()))
        return 1
    print("replaying its %d events (%d bytes, sha256 %s...) gives PCRs 0-7 exactly as the TPM reports them"
          % (n, len(log), got[:16]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
