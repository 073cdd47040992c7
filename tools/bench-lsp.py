#!/usr/bin/env python3
"""bench-lsp.py - how fast `c7gen lsp` answers a change on a large project.

    tools/bench-lsp.py [TABLES...]      default: 1000 5000

For each size, a generated project (tools/genschema.py: ~15 columns, 2
indexes and 1.5 foreign keys per table, in files of 100 tables) is served
by a real `c7gen lsp`; one file is opened and edited 40 times, each edit
alternately breaking and fixing a foreign key, so that every change ends in
a publishDiagnostics.  Printed: the time from sending didChange to having
the diagnostics (median, 95th percentile, worst), the server's processor
time per change (the same on a machine shared with other work, where wall
time is not), the time to initialize (reading and checking the whole
project), and the server's peak memory.
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(root, "tests", "lsp"))
from client import Client  # noqa: E402

C7GEN = os.environ.get("C7GEN", os.path.join(root, "build", "c7gen"))


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def bench(n, work):
    subprocess.run([sys.executable, os.path.join(root, "tools", "genschema.py"), str(n), work],
                   check=True)
    models = os.path.join(work, "models")
    name = sorted(f for f in os.listdir(models) if f.startswith("tables_"))[-1]
    path = os.path.join(models, name)
    with open(path) as f:
        text = f.read()
    m = re.search(r"references (t\d+)", text)
    if not m:
        sys.exit("bench-lsp: no reference in %s" % path)
    good, bad = m.group(0), "references no_such_table"
    c = Client([C7GEN, "--config", "/dev/null", "--models", models, "lsp"], cwd=work)
    t0 = time.perf_counter()
    c.call("initialize", {"capabilities": {}})
    init = time.perf_counter() - t0
    c.notify("initialized", {})
    uri = "file://" + path
    c.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "c7", "version": 1, "text": text}})
    c.notification("textDocument/publishDiagnostics")
    line = text.count("\n", 0, m.start())
    col = m.start() - (text.rfind("\n", 0, m.start()) + 1)
    current = good
    times = []
    cpu0 = cpu_seconds(c.proc.pid)
    for v in range(2, 42):
        new = bad if current == good else good
        change = {"range": {"start": {"line": line, "character": col},
                            "end": {"line": line, "character": col + len(current)}},
                  "text": new}
        t0 = time.perf_counter()
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": v},
                                            "contentChanges": [change]})
        while True:
            msg = c.notification("textDocument/publishDiagnostics", timeout=60)
            if msg["params"]["uri"] == uri:
                break
        times.append(time.perf_counter() - t0)
        current = new
    cpu = (cpu_seconds(c.proc.pid) - cpu0) / len(times)
    rss = peak_rss_mb(c.proc.pid)
    c.call("shutdown", None)
    c.notify("exit", None)
    c.proc.wait(timeout=10)
    times.sort()
    print("%8d %10.1f %10.1f %10.1f %10.1f %12.0f %10.0f" % (
        n, statistics.median(times) * 1000, times[int(len(times) * 0.95) - 1] * 1000,
        times[-1] * 1000, cpu * 1000, init * 1000, rss))


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 5000]
    print("== c7gen lsp: one change to diagnostics, in milliseconds")
    print("%8s %10s %10s %10s %10s %12s %10s" % ("tables", "median", "p95", "worst",
                                                  "cpu", "initialize", "peak_MB"))
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="c7gen-bench-lsp.") as work:
            bench(n, work)


if __name__ == "__main__":
    main()
