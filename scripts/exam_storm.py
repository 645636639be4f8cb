#!/usr/bin/env python3
"""The exam start storm and the submission burst, against a running server.

Reads the file written by `tutorium seed-exam` (quiz id, then one session token per line), then:
1. every learner starts the exam at once (threads released together): latencies, errors;
2. the first SUBMITTERS of them submit their answers at once: req/s over the burst, latencies.
Usage: exam_storm.py BASE_URL TOKENS_FILE [SUBMITTERS]
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

base, path = sys.argv[1], sys.argv[2]
submitters = int(sys.argv[3]) if len(sys.argv) > 3 else 200
lines = open(path).read().split()
quiz, tokens = lines[0], lines[1:]
host = urllib.parse.urlparse(base)


def post(token, endpoint, body, content_type):
    c = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
    t = time.perf_counter()
    c.request("POST", f"/api/{endpoint}", body=body,
              headers={"Content-Type": content_type, "Cookie": f"tutorium_session={token}"})
    r = c.getresponse()
    data = r.read()
    elapsed = time.perf_counter() - t
    c.close()
    return r.status, data, elapsed


def burst(jobs):
    """Runs every job in its own thread, all released at the same moment."""
    results = [None] * len(jobs)
    gate = threading.Barrier(len(jobs) + 1)

    def run(i, job):
        gate.wait()
        try:
            results[i] = job()
        except Exception as e:  # a refused or reset connection is an error, not a crash
            results[i] = (0, str(e).encode(), 0.0)

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    gate.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return results, time.perf_counter() - start


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] * 1000


def report(label, results, wall):
    ok = [r for r in results if r[0] == 200]
    lat = [r[2] for r in ok] or [0.0]
    print(f"  {label:<34} {len(results)} requests in {wall:.2f} s ({len(results) / wall:.0f} req/s), "
          f"errors {len(results) - len(ok)}, p50 {pct(lat, 50):.0f} ms  p95 {pct(lat, 95):.0f} ms  "
          f"p99 {pct(lat, 99):.0f} ms  max {max(lat) * 1000:.0f} ms")
    bad = [r for r in results if r[0] != 200][:3]
    for r in bad:
        print(f"    e.g. HTTP {r[0]}: {r[1][:200]!r}")
    return ok


form = "application/x-www-form-urlencoded"
starts, wall = burst([lambda t=t: post(t, "quizzes/start", f"quiz={quiz}", form) for t in tokens])
ok = report(f"start the exam ({len(tokens)} at once)", starts, wall)


def answer(q):
    """Some answer of the question's kind, in the positions shown (right or wrong: grading runs)."""
    n = len(q["options"])
    return {
        "single": {"single": 1 % max(n, 1)},
        "multiple": {"multiple": [0, 2]},
        "text": {"text": "Answer"},
        "ordering": {"ordering": list(range(n))},
    }[q["kind"]]


jobs = []
for (status, data, _), token in list(zip(starts, tokens))[:submitters]:
    if status != 200:
        continue
    a = json.loads(data)
    body = json.dumps({"attempt": a["id"], "answers": [[q["id"], answer(q)] for q in a["questions"]]})
    jobs.append(lambda t=token, b=body: post(t, "quizzes/submit", b, "application/json"))
subs, wall = burst(jobs)
ok = report(f"submit answers ({len(jobs)} at once)", subs, wall)
if ok:
    scores = [json.loads(r[1])["percent"] for r in ok]
    print(f"    graded: mean score {sum(scores) / len(scores):.0f} %")
