#!/usr/bin/env python3
"""Holds N notification streams (`GET /api/notifications/stream`, server-sent events) of one
signed-in user open and measures what they cost while idle. Standard library only (asyncio raw
sockets). Used by scripts/bench-bell.sh.

  bell_streams.py --base http://127.0.0.1:3333 --cookie TOKEN --pid SERVER_PID --label postgres \
      [--streams 1000] [--seconds 30] [--settle 5] [--idle-seconds 30] \
      [--pg-admin postgres://postgres@127.0.0.1:5432/postgres --db NAME]

In order: after --settle seconds, the server without streams for --idle-seconds (a reference:
the job worker polls too); then N streams are opened (at most 64 connecting at once) and each
must answer 200 and send its first `unread` event; after --settle seconds, a window of --seconds
during which it counts
  - PostgreSQL (with --db): transactions of the database (xact_commit + xact_rollback in
    pg_stat_database, read from --pg-admin's database so the reading itself is not counted; each
    autocommit query is one transaction), per second;
  - the server process's CPU time (utime + stime of /proc/PID/stat, all threads), per second;
  - with --db, the CPU time of the PostgreSQL backends connected to the database, per second;
  - `unread` events received by the streams in the window;
and at the end how many streams are still open. Prints one line, and a JSON line after it
(prefixed `json `) with the same figures.

pg_stat_database lags: a busy backend publishes its counts at most once a second, an idle one
within 10 s, so the rate is within about a second's worth of the window.
"""

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from urllib.parse import urlsplit

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of a process (all its threads), in seconds; None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    # Fields after the name: state is field 3 of stat, utime 14 and stime 15.
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def psql(admin, sql):
    out = subprocess.run(["psql", admin, "-XAtqc", sql], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def pg_transactions(admin, db):
    v = psql(admin, f"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{db}'")
    return int(v)


def pg_backend_pids(admin, db):
    v = psql(admin, f"SELECT pid FROM pg_stat_activity WHERE datname = '{db}'")
    return [int(p) for p in v.split()]


class Sample:
    """The counters at one moment."""

    def __init__(self, args):
        self.t = time.monotonic()
        self.cpu = cpu_seconds(args.pid)
        self.xacts = pg_transactions(args.pg_admin, args.db) if args.db else None
        self.backends = {}
        if args.db:
            for p in pg_backend_pids(args.pg_admin, args.db):
                c = cpu_seconds(p)
                if c is not None:
                    self.backends[p] = c


def rates(a, b):
    dt = b.t - a.t
    r = {"seconds": round(dt, 2)}
    r["server_cpu_per_s"] = None if a.cpu is None or b.cpu is None else (b.cpu - a.cpu) / dt
    if a.xacts is not None and b.xacts is not None:
        r["queries_per_s"] = (b.xacts - a.xacts) / dt
        # Backends present at both ends (a backend that came or went in between is left out).
        r["db_backends_cpu_per_s"] = sum(b.backends[p] - a.backends[p] for p in b.backends if p in a.backends) / dt
    return r


class Streams:
    def __init__(self, host, port, cookie):
        self.host, self.port = host, port
        self.request = (
            f"GET /api/notifications/stream HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Accept: text/event-stream\r\nCookie: tutorium_session={cookie}\r\n\r\n"
        ).encode()
        self.failed = Counter()  # why a stream did not open
        self.open = 0  # streams that answered 200 and are not closed
        self.ready = 0  # streams that sent their first `unread` event
        self.closed = 0  # streams that opened and were closed by the server
        self.events = 0  # `unread` events, all streams
        self.writers = []

    async def one(self, sem, done):
        async with sem:
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(self.host, self.port), 30)
                writer.write(self.request)
                await writer.drain()
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            except Exception as e:  # noqa: BLE001 - a benchmark counts failures, whatever they are
                self.failed[type(e).__name__] += 1
                done()
                return
            status = head.split(b" ", 2)[1].decode(errors="replace")
            if status != "200":
                self.failed[f"HTTP {status}"] += 1
                writer.close()
                done()
                return
        self.writers.append(writer)
        self.open += 1
        first = True
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                if line.rstrip(b"\r\n") == b"event: unread":
                    self.events += 1
                    if first:
                        first = False
                        self.ready += 1
                        done()
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            self.open -= 1
            self.closed += 1
            if first:
                self.failed["closed before its first event"] += 1
                done()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--cookie", required=True)
    ap.add_argument("--pid", type=int, required=True, help="the server's pid")
    ap.add_argument("--label", required=True)
    ap.add_argument("--streams", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--settle", type=float, default=5)
    ap.add_argument("--idle-seconds", type=float, default=None, help="default: --seconds; 0 skips")
    ap.add_argument("--pg-admin", default="postgres://postgres@127.0.0.1:5432/postgres")
    ap.add_argument("--db", default=None, help="the PostgreSQL database the server uses")
    args = ap.parse_args()
    idle_seconds = args.seconds if args.idle_seconds is None else args.idle_seconds

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < args.streams + 100:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        if hard < args.streams + 100:
            print(f"warning: at most {hard} open files: not enough for {args.streams} streams", file=sys.stderr)

    idle = None
    if idle_seconds > 0:
        # The server has just started and signed the user up: let that settle (and reach
        # pg_stat_database) first.
        await asyncio.sleep(args.settle)
        a = Sample(args)
        await asyncio.sleep(idle_seconds)
        idle = rates(a, Sample(args))

    u = urlsplit(args.base)
    s = Streams(u.hostname, u.port or 80, args.cookie)
    sem = asyncio.Semaphore(64)
    remaining = args.streams
    all_settled = asyncio.Event()

    def done():
        nonlocal remaining
        remaining -= 1
        if remaining == 0:
            all_settled.set()

    t_open = time.monotonic()
    tasks = [asyncio.create_task(s.one(sem, done)) for _ in range(args.streams)]
    try:
        await asyncio.wait_for(all_settled.wait(), 120)
    except asyncio.TimeoutError:
        print(f"warning: after 120 s, {remaining} streams had neither opened nor failed", file=sys.stderr)
    open_seconds = time.monotonic() - t_open
    await asyncio.sleep(args.settle)

    open_at_start = s.open
    events_before = s.events
    a = Sample(args)
    await asyncio.sleep(args.seconds)
    b = Sample(args)
    window = rates(a, b)
    open_at_end = s.open

    for t in tasks:
        t.cancel()
    for w in s.writers:
        w.close()
    await asyncio.gather(*tasks, return_exceptions=True)

    result = {
        "backend": args.label,
        "streams": args.streams,
        "ready": s.ready,
        "open_at_window_start": open_at_start,
        "open_at_end": open_at_end,
        "failed": dict(s.failed),
        "seconds_to_open": round(open_seconds, 2),
        "unread_events_in_window": s.events - events_before,
        "window": window,
        "without_streams": idle,
    }

    def fmt(v, digits):
        return "n/a" if v is None else f"{v:.{digits}f}"

    q = window.get("queries_per_s")
    qi = idle.get("queries_per_s") if idle else None
    parts = [
        f"{args.label:<9}",
        f"{open_at_end}/{args.streams} streams open at the end ({s.ready} got their first event in {open_seconds:.1f} s)",
    ]
    if q is not None:
        parts.append(f"queries {q:.1f}/s (without streams {fmt(qi, 1)}/s)")
    else:
        parts.append("queries n/a (no server-side counter)")
    parts.append(
        f"server CPU {fmt(window['server_cpu_per_s'], 3)} s/s"
        f" (without streams {fmt(idle['server_cpu_per_s'] if idle else None, 3)} s/s)"
    )
    if q is not None:
        parts.append(f"db backends CPU {fmt(window.get('db_backends_cpu_per_s'), 3)} s/s")
    parts.append(f"{s.events - events_before} events in the window")
    if s.failed:
        parts.append("FAILED: " + ", ".join(f"{k} x{v}" for k, v in s.failed.items()))
    print("  ".join(parts), flush=True)
    print("json " + json.dumps(result), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
