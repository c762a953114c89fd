#!/usr/bin/python3
"""Spawn QEMU, timestamp every line of its serial console (stdout), enforce a
wall-clock timeout.  Only the QEMU process started here is ever signalled.

usage: qemu-run.py --log FILE [--timeout SEC] [--echo] -- qemu-system-x86_64 ...

Each log line is "<seconds since QEMU was spawned, 6 decimals> <text>".
Exit status: QEMU's exit status, 124 if the timeout fired, 125 if a
--fail-pattern was seen (QEMU stopped by us).
"""
import argparse
import os
import select
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--echo", action="store_true", help="also echo to stdout")
    ap.add_argument("--fail-pattern", action="append", default=[],
                    help="stop QEMU early (exit 125) when a line contains this text, "
                         "e.g. 'KVM internal error' (QEMU then just pauses the VM)")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        ap.error("no command")

    out = open(a.log, "w", buffering=1)
    t0 = time.monotonic()
    wall0 = time.time()
    out.write(f"{0:10.6f} KX-HOST spawn wall={wall0:.6f} cmd={' '.join(cmd)}\n")
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    fd = p.stdout.fileno()
    deadline = t0 + a.timeout
    pending = b""
    timed_out = False
    failed_on = None
    fail_deadline = None

    def emit(raw, ts):
        text = raw.decode("utf-8", "replace").replace("\r", "")
        out.write(f"{ts:10.6f} {text}\n")
        if a.echo:
            sys.stdout.write(f"{ts:8.3f} {text}\n")
            sys.stdout.flush()

    while True:
        remaining = deadline - time.monotonic()
        if fail_deadline is not None and time.monotonic() >= fail_deadline:
            break
        if remaining <= 0:
            timed_out = True
            break
        r, _, _ = select.select([fd], [], [], min(remaining, 1.0))
        if not r:
            if p.poll() is not None:
                # process gone; drain what is left
                pass
            else:
                continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        ts = time.monotonic() - t0
        if not data:
            break
        pending += data
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            emit(line, ts)
            if failed_on is None:
                for pat in a.fail_pattern:
                    if pat.encode() in line:
                        failed_on = pat
                        fail_deadline = time.monotonic() + 1.0  # collect the register dump
                        break
    if pending:
        emit(pending, time.monotonic() - t0)

    if (timed_out or failed_on) and p.poll() is None:
        p.terminate()
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    if timed_out:
        rc = 124
    elif failed_on:
        rc = 125
    else:
        rc = p.wait()
    ts = time.monotonic() - t0
    fo = failed_on.replace(" ", "_") if failed_on else ""
    out.write(f"{ts:10.6f} KX-HOST qemu-exit rc={p.returncode} timed_out={int(timed_out)} "
              f"fail_pattern={fo or '-'} elapsed={ts:.6f}\n")
    out.close()
    sys.exit(rc)


if __name__ == "__main__":
    main()
