"""flag_server against nginx on the same data set, on loopback, with wrk.

Both get one worker (flag_server --threads 1, nginx worker_processes 1), pinned to CPU 0;
wrk -t1 runs on CPU 1. Scenarios: keep-alive at 64 and 256 connections, a 404 URL,
"Connection: close", and a Range of 1 KB out of a 5 MB file. The contenders alternate
round by round; rows carry the medians. Bounded: 5 scenarios x 2 servers x ROUNDS x DURATION.
"""
import os
import shutil
import sys
import urllib.request

from . import processes, settings, tools, wrk
from .document import Comparison

RANGE_HEADER = "Range: bytes=1000000-1001023"

# (name, connections, path, extra request header: "Name: value" — wrk drops a header without the space)
SCENARIOS = [
    ("keep-alive, 64 connections", 64, "/flags/ad/ad.gif", None),
    ("keep-alive, 256 connections", 256, "/flags/ad/ad.gif", None),
    ("404, keep-alive, 64 connections", 64, "/flags/zz/zz.gif", None),
    ("Connection: close, 64 connections", 64, "/flags/ad/ad.gif", "Connection: close"),
    ("Range (1 KB of 5 MB), keep-alive, 64 connections", 64, "/flags/big/big.bin", RANGE_HEADER),
]

NGINX_CONF = """{user}
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  types {{ image/gif gif; application/json json; }}
  default_type application/octet-stream;
  access_log off;
  log_not_found off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  server {{
    listen 127.0.0.1:{port};
    root {root};
    location /flags/ {{ }}
  }}
}}
"""


def fetch(url, header=None):
    request = urllib.request.Request(url, headers=dict([header.split(": ", 1)]) if header else {})
    with urllib.request.urlopen(request, timeout=5) as answer:
        return answer.status, answer.read()


def check_same_bytes(ours, nginx):
    """No one is fast by sending something else: the same flag and the same 1 KB range from both."""
    if fetch(ours + "/flags/ad/ad.gif")[1] != fetch(nginx + "/flags/ad/ad.gif")[1]:
        raise RuntimeError("server_vs_nginx: the two servers send different bytes")
    ranges = []
    for base in (ours, nginx):
        status, body = fetch(base + "/flags/big/big.bin", RANGE_HEADER)
        if status != 206:
            raise RuntimeError(f"server_vs_nginx: {base} answered the Range with {status}, not 206")
        ranges.append(body)
    if ranges[0] != ranges[1] or len(ranges[0]) != 1024:
        raise RuntimeError("server_vs_nginx: the two servers send different ranges")


def run(build, work):
    rounds, duration = settings.rounds(), settings.duration()
    comparison = Comparison(
        "server_vs_nginx", "flag_server against nginx",
        f"wrk -t1 --latency, {duration} a run, median of {rounds} alternating rounds; both servers one worker "
        "on CPU 0 (flag_server --threads 1, nginx worker_processes 1, sendfile, access_log off), wrk on CPU 1")
    tools.apt_install("server_vs_nginx", ["nginx", "wrk"])
    build.require("server_vs_nginx", ["flag_server"])

    # Both serve a copy of the data set plus one 5 MB file for the Range row.
    root = os.path.join(work, "root")
    shutil.copytree(os.path.join(build.data, "flags"), os.path.join(root, "flags"))
    os.makedirs(os.path.join(root, "flags", "big"))
    with open(os.path.join(root, "flags", "big", "big.bin"), "wb") as f:
        f.write(os.urandom(5_000_000))
    pin_server, pin_client = tools.cpu_pins()

    with processes.Services(work) as services:
        _, fs_port = services.start_announcing(
            "flag_server", pin_server + [build.binary("flag_server"), "--root", root, "--port", "0", "--threads", "1"])
        ng_port = processes.free_port()
        with open(os.path.join(work, "nginx.conf"), "w", encoding="ascii") as f:
            f.write(NGINX_CONF.format(user="user root root;" if os.geteuid() == 0 else "", work=work,
                                      port=ng_port, root=root))
        services.start("nginx", pin_server + [tools.program_path("nginx"), "-p", work, "-c",
                                              os.path.join(work, "nginx.conf"), "-g", "daemon off;"])
        ours, nginx = f"http://127.0.0.1:{fs_port}", f"http://127.0.0.1:{ng_port}"
        if not processes.answers_http(nginx + "/flags/ad/ad.gif"):
            raise processes.StartError(f"server_vs_nginx: nginx did not start: {services.log_tail('nginx')}")
        check_same_bytes(ours, nginx)

        print(f"server_vs_nginx: {rounds} rounds x {len(SCENARIOS)} scenarios x 2 servers, {duration} each",
              file=sys.stderr)
        for name, connections, path, header in SCENARIOS:
            runs = {"flag_server": [], "nginx": []}
            for r in range(rounds):
                # Alternate who goes first so neither always gets the quieter moment.
                order = [("flag_server", ours), ("nginx", nginx)]
                for who, base in (order if r % 2 == 0 else order[::-1]):
                    result = wrk.run(base + path, 1, connections, duration, header=header, pin=pin_client)
                    runs[who].append(result)
                    print(f"  {name}, round {r + 1}, {who}: {result['requests_per_s']:.0f} req/s, "
                          f"p99 {result['p99_ms']} ms", file=sys.stderr)
            for key, unit in (("requests_per_s", "req/s"), ("p99_ms", "ms p99")):
                comparison.add_row(name, unit, "flag_server", [x[key] for x in runs["flag_server"]],
                                   "nginx", [x[key] for x in runs["nginx"]])
    mark_headlines(comparison)
    return comparison


def mark_headlines(comparison):
    comparison.mark_headline("static files, 64 keep-alive conns, 1 worker", SCENARIOS[0][0], "req/s", "flag_server",
                             "nginx")
    comparison.mark_headline("a 1 KB range of a 5 MB file, 64 conns", SCENARIOS[4][0], "req/s", "flag_server", "nginx")
