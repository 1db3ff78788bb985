"""The three downloaders against curl --parallel, as the talk measured them.

Through a chaos_proxy adding 0.5 s to every response (the book's DELAY) and straight to
flag_server (LOCAL), with bench/floor's floor_client beside flags_async -m 1000 (the least a
one-thread client costs with all 676 in flight: what is left is the kernel's, the proxy's
and the server's); and the memory each request in flight costs a thread and a coroutine:
(peak RSS at -m 1000 - peak RSS at -m 1) / 999 over the same 1,352 URLs (AA..ZZ twice).
Every contender runs once per round, the order rotating round by round; rows carry
medians. Items/s is the URLs a process fetched over its wall-clock time (start-up included,
for curl as for ours); peak RSS from GNU time. Bounded: about 45 s a round.
"""
import itertools
import json
import os
import string
import subprocess
import sys
import time
import urllib.parse

from . import processes, settings, tools
from .document import Comparison

DELAY_S = 0.5
FLOOR = "DELAY floor_client -m 676"
GNU_TIME = "/usr/bin/time"
CODES = ["".join(p) for p in itertools.product(string.ascii_lowercase, repeat=2)]  # aa..zz: 676


class Contender:
    """One command and the URLs it fetches; `json` when it writes a platespin.result/1 file."""

    def __init__(self, name, items, command, writes_json=True):
        self.name, self.items, self.command, self.writes_json = name, items, command, writes_json
        self.items_per_s, self.peak_rss_kb = [], []


def write_curl_list(path, base, times):
    """curl's -K config: url/output pairs for AA..ZZ, `times` times over."""
    with open(path, "w", encoding="ascii") as f:
        for _ in range(times):
            for cc in CODES:
                f.write(f'url = "{base}/{cc}/{cc}.gif"\noutput = "/dev/null"\n')


def contenders(build, work, local, delay, local_repeat):
    json_path = os.path.join(work, "result.json")
    seq, pool, aio = (build.binary(n) for n in ("flags_sequential", "flags_threadpool", "flags_async"))
    ours = ["-e", "--no-save", "--json", json_path]
    curl = ["curl", "-s", "--parallel", "--parallel-immediate", "--parallel-max", "100", "-w", "%{http_code}\n", "-K"]
    local_items = len(CODES) * local_repeat
    write_curl_list(os.path.join(work, "curl-delay.cfg"), delay, 1)
    write_curl_list(os.path.join(work, "curl-local.cfg"), local, local_repeat)
    return [
        Contender("DELAY sequential -l 40", 40, [seq, "-l", "40", "-s", delay] + ours),
        Contender("DELAY threadpool -m 100", 676, [pool, "-m", "100", "-s", delay] + ours),
        Contender("DELAY async -m 100", 676, [aio, "-m", "100", "-s", delay] + ours),
        Contender("DELAY async -m 1000", 676, [aio, "-m", "1000", "-s", delay] + ours),
        Contender("DELAY curl --parallel-max 100", 676, curl + [os.path.join(work, "curl-delay.cfg")], False),
        # Its name ends in its concurrency, as bound() reads it: all 676 at once, as -m 1000 has them.
        Contender(FLOOR, 676, [build.binary("floor_client"), str(urllib.parse.urlsplit(delay).port), "/flags", "676"],
                  False),
        Contender("LOCAL threadpool -m 100", local_items,
                  [pool, "--repeat", str(local_repeat), "-m", "100", "-s", local] + ours),
        Contender("LOCAL async -m 100", local_items,
                  [aio, "--repeat", str(local_repeat), "-m", "100", "-s", local] + ours),
        Contender("LOCAL curl --parallel-max 100", local_items, curl + [os.path.join(work, "curl-local.cfg")], False),
        Contender("memory threadpool -m 1", 1352, [pool, "--repeat", "2", "-m", "1", "-s", local] + ours),
        Contender("memory threadpool -m 1000", 1352, [pool, "--repeat", "2", "-m", "1000", "-s", delay] + ours),
        Contender("memory async -m 1", 1352, [aio, "--repeat", "2", "-m", "1", "-s", local] + ours),
        Contender("memory async -m 1000", 1352, [aio, "--repeat", "2", "-m", "1000", "-s", delay] + ours),
    ]


def run_one(contender, work):
    """Runs it once: (items/s, peak RSS kB). Checks that every URL got a 200 or a 404, so no
    one is fast by failing. The peak RSS comes from GNU time, as it did in the bash script:
    a child of this Python process would report Python's own RSS (Linux keeps the larger of
    the forked parent's and the program's)."""
    json_path, out_path, err_path, rss_path = (os.path.join(work, n) for n in ("result.json", "stdout", "stderr", "rss"))
    for path in (json_path, rss_path):
        if os.path.exists(path):
            os.unlink(path)
    with open(out_path, "w") as out, open(err_path, "w") as err:
        start = time.monotonic()
        try:
            done = subprocess.run([GNU_TIME, "-f", "%M", "-o", rss_path] + contender.command, stdout=out, stderr=err,
                                  stdin=subprocess.DEVNULL, timeout=120, check=False)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"clients_vs_peers: '{contender.name}' took more than 120 s")
        elapsed = time.monotonic() - start
    with open(err_path, encoding="utf-8", errors="replace") as f:
        stderr = f.read()
    if done.returncode != 0:
        raise RuntimeError(f"clients_vs_peers: '{contender.name}' failed (exit {done.returncode}): "
                           f"{stderr.strip()[-300:]}")
    with open(rss_path, encoding="ascii") as f:
        peak_kb = int(f.read().split()[-1])
    if contender.writes_json:
        with open(json_path, encoding="utf-8") as f:
            result = json.load(f)
        answered = result["ok"] + result["not_found"]
    else:
        with open(out_path, encoding="utf-8", errors="replace") as f:
            answered = sum(1 for line in f.read().splitlines() if line in ("200", "404"))
    if answered != contender.items:
        raise RuntimeError(f"clients_vs_peers: '{contender.name}' answered {answered} of {contender.items} URLs")
    return contender.items / elapsed, peak_kb


def bound(contender):
    """Little's law: min(concurrency, items) / delay; sequential 1 / delay; None for LOCAL runs."""
    words = contender.name.split()
    if words[0] != "DELAY":
        return None
    if words[1] == "sequential":
        return 1 / DELAY_S
    return min(int(words[-1]), contender.items) / DELAY_S


def run(build, work):
    rounds, local_repeat = settings.rounds(), settings.local_repeat()
    comparison = Comparison(
        "clients_vs_peers", "The downloaders against curl --parallel",
        f"medians of {rounds} rotating rounds; DELAY: chaos_proxy adding {DELAY_S} s to every response; "
        f"LOCAL: flag_server directly, AA..ZZ {local_repeat} times; items/s over each process's wall-clock time")
    tools.apt_install("clients_vs_peers", ["curl", "time"])  # time: GNU time, /usr/bin/time
    build.require("clients_vs_peers", ["flag_server", "chaos_proxy", "flags_sequential", "flags_threadpool",
                                       "flags_async", "floor_client"])
    processes.raise_open_file_limit()  # 1,000 sockets in flight

    with processes.Services(work) as services:
        _, fs_port = services.start_announcing("flag_server", [build.binary("flag_server"), "--root", build.data,
                                                               "--port", "0"])
        _, px_port = services.start_announcing("chaos_proxy", [
            build.binary("chaos_proxy"), "--protocol", "http", "--backend", f"127.0.0.1:{fs_port}",
            "--proxy", "127.0.0.1:0", "--behavior", "100:delay", "--behavior-delay-sleep", str(DELAY_S)])
        everyone = contenders(build, work, f"http://127.0.0.1:{fs_port}/flags", f"http://127.0.0.1:{px_port}/flags",
                              local_repeat)
        print(f"clients_vs_peers: {rounds} rounds x {len(everyone)} runs; delay {DELAY_S} s", file=sys.stderr)
        for r in range(rounds):
            for k in range(len(everyone)):
                contender = everyone[(k + r) % len(everyone)]  # rotate who goes first
                items_per_s, peak_kb = run_one(contender, work)
                contender.items_per_s.append(items_per_s)
                contender.peak_rss_kb.append(peak_kb)
                print(f"  round {r + 1}, {contender.name}: {items_per_s:.2f} items/s, peak RSS {peak_kb} KB",
                      file=sys.stderr)

    add_measured_rows(comparison, everyone)
    return comparison


def add_measured_rows(comparison, everyone):
    """The rows from the contenders' items/s and peak RSS per round."""
    by_name = {c.name: c for c in everyone}
    for c in everyone:
        if c.name.startswith("memory") or "curl" in c.name:  # curl is set beside ours below
            continue
        limit = bound(c)
        if limit is not None:
            comparison.add_row(f"DELAY, {c.items} items, against the latency bound", "items/s", c.name,
                               c.items_per_s, "bound min(c, n) / d", [limit] * len(c.items_per_s))
    comparison.add_row("DELAY, 676 items, all in flight, against the floor", "items/s", "DELAY async -m 1000",
                       by_name["DELAY async -m 1000"].items_per_s, "floor_client", by_name[FLOOR].items_per_s)
    for ours, peer in (("DELAY async -m 100", "DELAY curl --parallel-max 100"),
                       ("DELAY threadpool -m 100", "DELAY curl --parallel-max 100"),
                       ("LOCAL async -m 100", "LOCAL curl --parallel-max 100"),
                       ("LOCAL threadpool -m 100", "LOCAL curl --parallel-max 100")):
        comparison.add_row(f"{ours.split()[0]}, {by_name[ours].items} items, 100 in flight", "items/s", ours,
                           by_name[ours].items_per_s, peer, by_name[peer].items_per_s)
    for c in everyone:
        comparison.add_row(f"peak RSS, {c.items} items", "MB", c.name, [kb / 1024 for kb in c.peak_rss_kb])

    def per_request(engine):  # KB each request in flight costs, per round
        low, high = by_name[f"memory {engine} -m 1"], by_name[f"memory {engine} -m 1000"]
        return [(b - a) / 999 for a, b in zip(low.peak_rss_kb, high.peak_rss_kb)]
    comparison.add_row("memory per request in flight ((RSS at -m 1000 - RSS at -m 1) / 999)", "KB",
                       "flags_async (a coroutine each)", per_request("async"),
                       "flags_threadpool (an OS thread each)", per_request("threadpool"))
    comparison.mark_headline("async download, 1,000 in flight via 0.5 s DELAY",
                             "DELAY, 676 items, against the latency bound", "items/s", "DELAY async -m 1000",
                             "bound min(c, n) / d")
    comparison.mark_headline("async download, all 676 in flight via 0.5 s DELAY, against the floor",
                             "DELAY, 676 items, all in flight, against the floor", "items/s", "DELAY async -m 1000",
                             "floor_client")
    comparison.mark_headline("LOCAL download, 100 in flight", f"LOCAL, {by_name['LOCAL async -m 100'].items} items, "
                             "100 in flight", "items/s", "LOCAL async -m 100", "LOCAL curl --parallel-max 100")
    comparison.mark_headline("memory per request in flight",
                             "memory per request in flight ((RSS at -m 1000 - RSS at -m 1) / 999)", "KB",
                             "flags_async (a coroutine each)", "flags_threadpool (an OS thread each)")
