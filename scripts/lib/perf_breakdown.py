#!/usr/bin/env python3
"""Where a server's CPU time goes, from `perf script` output with call stacks (stdin).

Prints two tables:
  * inclusive: the share of samples whose stack contains a frame of each phase (a sample can be
    in several: rendering that allocates counts for both "render" and "allocation");
  * self: the share of samples by the innermost frame's group (crate or library), the top ones.

Usage: perf script -F comm,tid,ip,sym,dso | scripts/lib/perf_breakdown.py [--top N]
"""
import re
import sys
from collections import Counter

# Phase of a request, by a frame's symbol (first match wins per pattern; a sample may match
# several phases). Ordered as they happen in a request.
PHASES = [
    ("HTTP (hyper, axum, tower)", r"^(hyper|axum|tower|tower_http|h2)::"),
    ("session lookup + middleware", r"^(server::middleware|app::server::session|app::server::request)"),
    ("database (sqlx, drivers)", r"^(sqlx|sqlx_core|sqlx_sqlite|sqlx_postgres|libsqlite3_sys)|sqlite3|^postgres"),
    ("route matching (leptos_router)", r"^leptos_router::matching"),
    ("view rendering to HTML (tachys)", r"^tachys::.*(to_html|html_len|to_html_with_buf|to_html_async)"),
    ("reactive system (reactive_graph)", r"^reactive_graph::"),
    ("hydration data (serialising resources)", r"^(hydration_context|leptos_server::resource)|SerdeJson|JsonSerdeCodec"),
    ("JSON (serde_json)", r"^serde_json::"),
    ("HTML escaping", r"escape|html_escape"),
    ("leptos_meta (head tags)", r"^leptos_meta::"),
    ("compression (brotli, gzip)", r"^(brotli|async_compression|compression_codecs|flate2|miniz_oxide)|Brotli|deflate"),
    ("allocation (malloc, free, realloc)", r"^(__GI___libc_(malloc|free|realloc|calloc)|_int_(malloc|free|realloc)|malloc|free|realloc|calloc|cfree|malloc_consolidate|unlink_chunk|tcache_(get|put)|mi_|_mi_|__rust_(alloc|dealloc|realloc)$)"),
    ("kernel (scheduling, system calls)", r"^(finish_task_switch|_raw_spin|__x64_sys|do_syscall|entry_SYSCALL|irqentry|schedule|__schedule|tcp_|ip_|__sys_|ep_poll|futex)"),
    ("tokio runtime", r"^tokio::"),
    ("the app's own code (app::)", r"^app::"),
]
PHASES = [(name, re.compile(rx)) for name, rx in PHASES]

GROUPS = [
    (r"^tachys::", "tachys"),
    (r"^reactive_graph::", "reactive_graph"),
    (r"^leptos_router::", "leptos_router"),
    (r"^leptos_meta::", "leptos_meta"),
    (r"^leptos", "leptos (other)"),
    (r"^serde_json::", "serde_json"),
    (r"^serde::", "serde"),
    (r"^(sqlx|libsqlite3_sys)|sqlite3", "sqlx / sqlite"),
    (r"^(brotli|compression_codecs|async_compression)", "brotli"),
    (r"^(flate2|miniz_oxide)", "gzip"),
    (r"^(hyper|h2|http)::", "hyper"),
    (r"^(axum|tower|tower_http)::", "axum / tower"),
    (r"^tokio::", "tokio"),
    (r"^app::", "app"),
    (r"^server::", "server"),
    (r"^(core|alloc|std)::", "core / alloc / std"),
    (r"^(__memcpy|__memmove|__memset|memcpy|memmove|memset|__strlen)", "libc memcpy / memset"),
    (r"^(__GI___libc_(malloc|free|realloc|calloc)|_int_|malloc|free|realloc|cfree|unlink_chunk|tcache|mi_|_mi_)", "malloc / free"),
]
GROUPS = [(re.compile(rx), name) for rx, name in GROUPS]


def demangle_strip(sym: str) -> str:
    # `perf script` prints demangled Rust names with a trailing hash (`::h0123abcd`) and generic
    # arguments; keep the path, which is what the patterns match.
    sym = re.sub(r"::h[0-9a-f]{16}$", "", sym)
    sym = sym.lstrip("<")
    return sym


def group_of(sym: str, dso: str) -> str:
    for rx, name in GROUPS:
        if rx.search(sym):
            return name
    if "kernel" in dso or sym.startswith(("__x64_", "entry_SYSCALL", "do_syscall")):
        return "kernel"
    if "libc" in dso:
        return "libc (other)"
    return sym[:40] or dso


def main() -> None:
    top = 25
    if "--top" in sys.argv:
        top = int(sys.argv[sys.argv.index("--top") + 1])
    samples = []
    stack: list = []
    header = None
    for line in sys.stdin:
        line = line.rstrip("\n")
        if not line.strip():
            if header is not None:
                samples.append(stack)
            stack, header = [], None
            continue
        if header is None and not line.startswith(("\t", " ")):
            header = line
            continue
        parts = line.strip().split(" ", 1)
        if len(parts) < 2:
            continue
        rest = parts[1]
        m = re.match(r"(.*) \((.*)\)$", rest)
        sym, dso = (m.group(1), m.group(2)) if m else (rest, "")
        sym = re.sub(r"\+0x[0-9a-f]+$", "", sym)
        stack.append((demangle_strip(sym), dso))
    if header is not None:
        samples.append(stack)
    samples = [s for s in samples if s]
    n = len(samples)
    if not n:
        print("no samples")
        return
    incl = Counter()
    for s in samples:
        for name, rx in PHASES:
            if any(rx.search(sym) for sym, _ in s):
                incl[name] += 1
    print(f"{n} samples")
    print("inclusive (share of samples whose stack has a frame of it):")
    for name, _ in PHASES:
        print(f"  {name:42s} {100 * incl[name] / n:5.1f} %")
    own = Counter(group_of(*s[0]) for s in samples)
    print("self (innermost frame), by crate or library:")
    for name, c in own.most_common(top):
        print(f"  {name:42s} {100 * c / n:5.1f} %")
    # Inclusive, by function, for the layers that explain a request (not the runtime around it).
    skip = re.compile(r"^(tokio|hyper|std|core|alloc|futures|futures_util|tower|axum|tracing|any_spawner|"
                      r"pin_project|__|_start|start_thread|clone3|main$)")
    per_fn = Counter()
    for s in samples:
        seen = set()
        for sym, _ in s:
            name = re.sub(r"<.*", "", sym)[:100] or sym[:100]
            if name and not skip.search(name) and name not in seen:
                seen.add(name)
                per_fn[name] += 1
    print("inclusive, top functions (generics cut; runtime frames left out):")
    for name, c in per_fn.most_common(top + 15):
        print(f"  {100 * c / n:5.1f} %  {name}")
    syms = Counter(s[0][0][:110] for s in samples)
    print("self, top functions:")
    for name, c in syms.most_common(top):
        print(f"  {100 * c / n:5.1f} %  {name}")


if __name__ == "__main__":
    main()
