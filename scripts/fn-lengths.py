#!/usr/bin/env python3
"""Distribution of the lengths of the server functions (`#[server(...)]`) under app/src.

Usage: scripts/fn-lengths.py [repo root, default "."]

How it counts: every item-level `#[server...]` attribute in app/src/**/*.rs (one whose next
code line, after any further attributes, doc comments and blank lines, is the function's `fn`
line; `#[server(default)]` on a parameter is not one). A function's length is the number of
lines from its `fn` line (`pub async fn name(`) to the line of the brace that closes its body,
both included, so a one-line body written over three lines counts 3. The body's braces are
matched after skipping comments (`//`, nested `/* */`), string literals (plain, byte, raw with
any number of `#`) and char literals (`'{'`, escapes); lifetimes (`'a`) are not chars. The
attribute and doc comments above the `fn` line are not counted.
"""

import re
import statistics
import sys
from pathlib import Path

BUCKETS = [(1, 10), (11, 20), (21, 30), (31, 40), (41, 60), (61, None)]
FN_RE = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?fn\s+([A-Za-z_][A-Za-z0-9_]*)")
ATTR_START_RE = re.compile(r"^\s*#\[server\b")


def code_chars(text, start):
    """Yields (index, char) of the characters of `text` from `start` that are code: outside
    comments, string literals and char literals (which are skipped whole)."""
    i, n = start, len(text)
    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if c == "/" and nxt == "/":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "/" and nxt == "*":
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            continue
        # Raw strings: r"..", r#".."#, br#".."# (an identifier ending in r is not one: check the
        # character before).
        m = re.match(r'b?r(#*)"', text[i : i + 260])
        if m and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            close = '"' + m.group(1)
            j = text.find(close, i + m.end())
            i = n if j < 0 else j + len(close)
            continue
        if c == '"' or (c == "b" and nxt == '"' and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_"))):
            i += 1 if c == '"' else 2
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
            continue
        if c == "'":
            # A char literal: 'x', '\n', '\'', '\u{7f}'; anything else is a lifetime or label.
            m = re.match(r"'(?:\\(?:u\{[0-9a-fA-F]{1,6}\}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'", text[i : i + 12])
            if m:
                i += m.end()
                continue
        yield i, c
        i += 1


def body_end(text, fn_pos):
    """Index of the brace closing the body of the function whose `fn` line starts at fn_pos."""
    paren = 0
    depth = 0
    for i, c in code_chars(text, fn_pos):
        if c in "([":
            paren += 1
        elif c in ")]":
            paren -= 1
        elif c == "{":
            if depth == 0 and paren != 0:
                continue  # a brace inside the parameter list (destructuring)
            depth += 1
        elif c == "}":
            if depth == 0:
                continue
            depth -= 1
            if depth == 0:
                return i
        elif c == ";" and depth == 0 and paren == 0:
            return None  # a declaration without a body
    return None


def server_fns(path):
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    found = []
    k = 0
    while k < len(lines):
        if not ATTR_START_RE.match(lines[k]):
            k += 1
            continue
        attr_line = k
        # Skip the attribute itself (it may span lines), then further attributes/doc comments.
        depth = 0
        while k < len(lines):
            depth += lines[k].count("[") - lines[k].count("]")
            k += 1
            if depth <= 0:
                break
        while k < len(lines):
            s = lines[k].strip()
            if s == "" or s.startswith("//"):
                k += 1
            elif s.startswith("#["):
                depth = 0
                while k < len(lines):
                    depth += lines[k].count("[") - lines[k].count("]")
                    k += 1
                    if depth <= 0:
                        break
            else:
                break
        if k >= len(lines):
            break
        m = FN_RE.match(lines[k])
        if not m:
            continue  # a parameter attribute such as `#[server(default)] next: String`
        end = body_end(text, offsets[k])
        if end is None:
            print(f"warning: {path}:{k + 1}: no body found for {m.group(1)}", file=sys.stderr)
            k += 1
            continue
        end_line = text.count("\n", 0, end)
        found.append((attr_line + 1, k + 1, m.group(1), end_line - k + 1))
        k = end_line + 1
    return found


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    src = root / "app" / "src"
    if not src.is_dir():
        sys.exit(f"{src} is not a directory")
    fns = []
    for path in sorted(src.rglob("*.rs")):
        for attr_line, fn_line, name, length in server_fns(path):
            fns.append((length, str(path.relative_to(root)), fn_line, name))
    if not fns:
        sys.exit("no #[server] functions found")
    lengths = [f[0] for f in fns]
    print(f"server functions in {src}: {len(fns)}")
    print("length = lines from the `fn` line to the closing brace, both included")
    print(f"  total lines   {sum(lengths)}")
    print(f"  median        {statistics.median(lengths):g}")
    print(f"  mean          {statistics.mean(lengths):.1f}")
    print(f"  over 20 lines {sum(1 for n in lengths if n > 20)}")
    print(f"  over 40 lines {sum(1 for n in lengths if n > 40)}")
    print("the 10 longest:")
    for length, file, line, name in sorted(fns, key=lambda f: (-f[0], f[1], f[2]))[:10]:
        print(f"  {length:4d}  {name:32s} {file}:{line}")
    print("histogram:")
    for lo, hi in BUCKETS:
        count = sum(1 for n in lengths if n >= lo and (hi is None or n <= hi))
        label = f"{lo}-{hi}" if hi else f"{lo}+"
        print(f"  {label:>6s} {count:4d}  {'#' * count}")


if __name__ == "__main__":
    main()
