"""chaos_proxy against its peers, on loopback in front of one flag_server.

1. pass-through, wrk -t1 -c64: direct, chaos_proxy HTTP and TCP, haproxy, Toxiproxy 2.12, toxy, and
   bench/floor's floor_forwarder (the least a user-space TCP proxy costs: what is left is the kernel's)
2. a 500 ms delay at -c1000 (wrk -t2): chaos_proxy HTTP and TCP, haproxy with a Lua sleep,
   Toxiproxy's downstream latency toxic, toxy's latency poison: p50, p99, max minus 500 ms
3. peak RSS (VmHWM) holding 10,000 delayed connections (wrk -t2 -c10000): chaos_proxy HTTP
   and TCP, Toxiproxy, a fresh process each so peaks don't mix
Contenders alternate round by round (ROUNDS, SECONDS_PER_RUN). A peer that cannot be had is
left out with one line on stderr. Bounded: ROUNDS x (6 + 5) x SECONDS_PER_RUN + 3 x RSS_SECONDS.
"""
import json
import os
import subprocess
import sys
import urllib.request

from . import processes, settings, tools, wrk
from .document import Comparison

DELAY_MS = 500
FLAG = "/flags/ad/ad.gif"

HAPROXY_CFG = """global
  maxconn 4096
{lua}
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend in
  bind 127.0.0.1:{port}
{delay}
  default_backend flags
backend flags
  http-reuse always
  server s1 127.0.0.1:{backend}
"""
# The same delay as chaos_proxy's, from haproxy: a Lua action sleeps before the request goes on.
HAPROXY_LUA = 'core.register_action("delay", { "http-req" }, function(txn) core.msleep(%d) end)\n' % DELAY_MS

TOXY_JS = """// toxy in front of flag_server; argv: listen port, backend port, latency ms (0: pass-through)
const toxy = require('toxy');
const [port, backend, latency] = process.argv.slice(2).map(Number);
const proxy = toxy();
proxy.forward('http://127.0.0.1:' + backend);
proxy.use((req, res, next) => setImmediate(next));  // works around toxy/rocky dropping undelayed requests on Node 20
if (latency > 0) proxy.poison(toxy.poisons.latency(latency));
proxy.all('/*');
proxy.listen(port);
"""

LABELS = {"direct": "direct (flag_server)", "chaos_http": "chaos_proxy HTTP", "chaos_tcp": "chaos_proxy TCP",
          "haproxy": "haproxy", "toxiproxy": "Toxiproxy 2.12", "toxy": "toxy 0.3.16",
          "floor": "floor_forwarder (epoll, recv, send)"}
DELAY_LABELS = {**LABELS, "haproxy": "haproxy + Lua core.msleep(500)",
                "toxiproxy": "Toxiproxy (latency toxic, downstream)", "toxy": "toxy (latency poison)"}
# Which of ours each peer is set beside (the ratios the bash script printed, and a few more).
PAIRS = [("chaos_http", "haproxy"), ("chaos_http", "toxiproxy"), ("chaos_http", "toxy"),
         ("chaos_tcp", "toxiproxy"), ("chaos_tcp", "haproxy"), ("chaos_tcp", "floor"), ("floor", "toxiproxy")]


def chaos_delay_args(chaos_proxy):
    """`--toxic latency,latency=500` when chaos_proxy knows toxics, else Vaurien's delay behavior."""
    done = subprocess.run([chaos_proxy, "--help"], capture_output=True, text=True, check=False)
    if "--toxic" in done.stdout + done.stderr:
        return ["--toxic", f"latency,latency={DELAY_MS}"]
    return ["--behavior", "100:delay", "--behavior-delay-sleep", str(DELAY_MS / 1000)]


class Toxiproxy:
    """A toxiproxy-server on a free API port, driven through its HTTP API."""

    def __init__(self, services, server, name):
        self.api_port = processes.free_port()
        self.process = services.start(name, [server, "-host", "127.0.0.1", "-port", str(self.api_port)],
                                      env={"LOG_LEVEL": "warn"})
        self.api = f"http://127.0.0.1:{self.api_port}"
        if not processes.answers_http(self.api + "/version", timeout_s=10):
            raise processes.StartError(f"toxiproxy-server did not answer /version: {services.log_tail(name)}")

    def post(self, path, body):
        request = urllib.request.Request(self.api + path, data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as answer:
            return json.load(answer)

    def version(self):
        with urllib.request.urlopen(self.api + "/version", timeout=2) as answer:
            text = answer.read().decode()
        try:
            return json.loads(text).get("version", text)
        except ValueError:
            return text.strip()

    def proxy(self, name, backend_port, latency_ms):
        """A proxy in front of flag_server on a free port, with a downstream latency toxic unless 0."""
        port = processes.free_port()
        self.post("/proxies", {"name": name, "listen": f"127.0.0.1:{port}", "upstream": f"127.0.0.1:{backend_port}"})
        if latency_ms:
            self.post(f"/proxies/{name}/toxics",
                      {"type": "latency", "stream": "downstream", "attributes": {"latency": latency_ms}})
        return port


def url(port):
    return f"http://127.0.0.1:{port}{FLAG}"


def start_haproxy(services, work, name, backend, delayed):
    port = processes.free_port()
    lua_path = os.path.join(work, "delay.lua")
    with open(lua_path, "w", encoding="ascii") as f:
        f.write(HAPROXY_LUA)
    config = os.path.join(work, name + ".cfg")
    with open(config, "w", encoding="ascii") as f:
        f.write(HAPROXY_CFG.format(lua=f"  lua-load {lua_path}" if delayed else "", port=port, backend=backend,
                                   delay="  http-request lua.delay" if delayed else ""))
    services.start(name, ["haproxy", "-db", "-f", config])
    return port


def start_chaos(services, build, name, backend, extra):
    process, port = services.start_announcing(
        name, [build.binary("chaos_proxy"), "--backend", f"127.0.0.1:{backend}", "--proxy", "127.0.0.1:0"] + extra)
    return process, port


def run(build, work):
    rounds, seconds = settings.rounds(), settings.seconds_per_run()
    rss_seconds = settings.rss_seconds()
    delay = chaos_delay_args(build.binary("chaos_proxy"))
    comparison = Comparison(
        "proxy_vs_peers", "chaos_proxy against its peers",
        f"loopback, flag_server backend, ad.gif; medians of {rounds} alternating rounds, {seconds} s a run; "
        f"chaos_proxy's delay: `{' '.join(delay)}`")
    tools.apt_install("proxy_vs_peers", ["wrk", "haproxy"])
    build.require("proxy_vs_peers", ["flag_server", "chaos_proxy"])
    toxiproxy_server = tools.toxiproxy_server(build, comparison)
    toxy_modules = tools.toxy_modules(comparison)
    processes.raise_open_file_limit()

    with processes.Services(work) as services:
        _, server = services.start_announcing("flag_server", [
            build.binary("flag_server"), "--port", "0", "--root", build.data, "--max-connections", "20000"])
        tcp = ["--protocol", "tcp"]
        passing = {"direct": server,
                   "chaos_http": start_chaos(services, build, "chaos_http", server, [])[1],
                   "chaos_tcp": start_chaos(services, build, "chaos_tcp", server, tcp)[1],
                   "haproxy": start_haproxy(services, work, "haproxy", server, delayed=False)}
        if os.access(build.binary("floor_forwarder"), os.X_OK):
            passing["floor"] = services.start_announcing(
                "floor_forwarder", [build.binary("floor_forwarder"), "0", str(server), "2"])[1]
        else:
            comparison.leave_out(f"floor_forwarder left out: {build.binary('floor_forwarder')} is not built")
        delayed = {"chaos_http": start_chaos(services, build, "chaos_http_delay", server, delay)[1],
                   "chaos_tcp": start_chaos(services, build, "chaos_tcp_delay", server, tcp + delay)[1],
                   "haproxy": start_haproxy(services, work, "haproxy_delay", server, delayed=True)}
        if toxiproxy_server:
            try:
                toxiproxy = Toxiproxy(services, toxiproxy_server, "toxiproxy")
                passing["toxiproxy"] = toxiproxy.proxy("pass", server, 0)
                delayed["toxiproxy"] = toxiproxy.proxy("delay", server, DELAY_MS)
                comparison.notes.append(f"Toxiproxy version {toxiproxy.version()}")
            except (OSError, processes.StartError) as e:
                comparison.leave_out(f"Toxiproxy left out: it did not come up or its API refused a proxy ({e})")
                passing.pop("toxiproxy", None)
                delayed.pop("toxiproxy", None)
        if toxy_modules:
            script = os.path.join(work, "toxy.js")
            with open(script, "w", encoding="ascii") as f:
                f.write(TOXY_JS)
            env = {"NODE_PATH": toxy_modules}
            passing["toxy"] = processes.free_port()
            services.start("toxy", ["node", script, str(passing["toxy"]), str(server), "0"], env=env)
            delayed["toxy"] = processes.free_port()
            services.start("toxy_delay", ["node", script, str(delayed["toxy"]), str(server), str(DELAY_MS)], env=env)
        for name, port in list(passing.items()) + [(n + " (delayed)", p) for n, p in delayed.items()]:
            if not processes.answers_http(url(port)):
                raise processes.StartError(f"proxy_vs_peers: {name} does not answer on port {port}")

        print(f"proxy_vs_peers: {rounds} rounds, {seconds} s per run", file=sys.stderr)
        pass_runs = {key: [] for key in passing}
        delay_runs = {key: [] for key in delayed}
        for r in range(rounds):
            for key, port in passing.items():
                pass_runs[key].append(wrk.run(url(port), 1, 64, f"{seconds}s", timeout="10s"))
                print(f"  round {r + 1} pass-through {key}: {pass_runs[key][-1]}", file=sys.stderr)
            for key, port in delayed.items():
                delay_runs[key].append(wrk.run(url(port), 2, 1000, f"{seconds}s", timeout="10s"))
                print(f"  round {r + 1} delay {key}: {delay_runs[key][-1]}", file=sys.stderr)

        # 10,000 connections held in the delay at once, then the process's peak RSS; a fresh
        # process per contender, stopped after its run.
        rss = {}
        for key in ("chaos_http", "chaos_tcp"):
            process, port = start_chaos(services, build, key + "_rss", server, (tcp if key == "chaos_tcp" else []) + delay)
            rss[key] = measure_rss(services, process, port, rss_seconds)
        if "toxiproxy" in delayed:
            try:
                fresh = Toxiproxy(services, toxiproxy_server, "toxiproxy_rss")
                rss["toxiproxy"] = measure_rss(services, fresh.process, fresh.proxy("delay", server, DELAY_MS),
                                               rss_seconds)
            except (OSError, processes.StartError) as e:
                comparison.leave_out(f"Toxiproxy's RSS run left out: a second toxiproxy-server did not come up ({e})")

    add_measured_rows(comparison, seconds, rss_seconds, pass_runs, delay_runs, rss)
    return comparison


def add_measured_rows(comparison, seconds, rss_seconds, pass_runs, delay_runs, rss):
    """The rows from what was measured: {contender: [wrk result per round]}, rss {contender: wrk result + peak_rss_kb}."""
    add_rows(comparison, f"pass-through (wrk -t1 -c64 -d{seconds}s)", "req/s", pass_runs, "requests_per_s", LABELS)
    add_rows(comparison, f"pass-through (wrk -t1 -c64 -d{seconds}s)", "ms p99", pass_runs, "p99_ms", LABELS)
    for key, label in (("p50_ms", "p50"), ("p99_ms", "p99"), ("max_ms", "max")):
        late = {k: [None if not x["requests_per_s"] or x[key] is None else x[key] - DELAY_MS for x in runs]
                for k, runs in delay_runs.items()}
        add_rows(comparison, f"{DELAY_MS} ms delay (wrk -t2 -c1000 -d{seconds}s)", f"ms {label} late", late, None,
                 DELAY_LABELS)
    rss_mb = {k: [v["peak_rss_kb"] / 1024] for k, v in rss.items()}
    add_rows(comparison, f"holding 10,000 delayed connections (wrk -t2 -c10000 -d{rss_seconds}s)", "MB peak RSS",
             rss_mb, None, LABELS)
    for what, runs in (("pass-through", pass_runs), ("delay", delay_runs)):
        comparison.notes.append(f"wrk errors over all rounds, {what}: " +
                                ", ".join(f"{LABELS[k]} {sum(x['errors'] for x in v)}" for k, v in runs.items()))
    passing = f"pass-through (wrk -t1 -c64 -d{seconds}s)"
    comparison.mark_headline("proxy pass-through, 64 conns, HTTP", passing, "req/s", LABELS["chaos_http"],
                             LABELS["haproxy"])
    comparison.mark_headline("proxy pass-through, 64 conns, TCP", passing, "req/s", LABELS["chaos_tcp"],
                             LABELS["toxiproxy"])
    comparison.mark_headline("proxy pass-through, 64 conns, TCP, against the floor", passing, "req/s",
                             LABELS["chaos_tcp"], LABELS["floor"])
    for peer in ("haproxy", "toxiproxy"):
        comparison.mark_headline("500 ms latency at 1,000 conns, p99 lateness", f"{DELAY_MS} ms delay "
                                 f"(wrk -t2 -c1000 -d{seconds}s)", "ms p99 late", LABELS["chaos_http"],
                                 DELAY_LABELS[peer])
    comparison.mark_headline("peak RSS holding 10,000 delayed connections, TCP",
                             f"holding 10,000 delayed connections (wrk -t2 -c10000 -d{rss_seconds}s)", "MB peak RSS",
                             LABELS["chaos_tcp"], LABELS["toxiproxy"])
    comparison.notes.append("goals: pass-through HTTP >= 0.9x haproxy and >= 5x toxy, TCP >= 1.5x Toxiproxy; delay "
                            "p99 within 5 ms at -c1000; RSS < 100 MB at 10,000 delayed connections")


def measure_rss(services, process, port, seconds):
    result = wrk.run(url(port), 2, 10000, f"{seconds}s", timeout="10s")
    result["peak_rss_kb"] = processes.peak_rss_kb(process.pid)
    services.stop(process)
    print(f"  rss {process.platespin_name}: {result['peak_rss_kb']} kB; {result}", file=sys.stderr)
    return result


def add_rows(comparison, measure, unit, runs, key, labels):
    """Rows for `measure`: direct alone, then each of ours beside each peer that ran (PAIRS)."""
    values = {k: [x if key is None else x[key] for x in v] for k, v in runs.items()}
    if "direct" in values:
        comparison.add_row(measure, unit, labels["direct"], values["direct"])
    for ours in ("chaos_http", "chaos_tcp", "floor"):
        peers = [peer for o, peer in PAIRS if o == ours and peer in values]
        if ours not in values:
            continue
        if not peers:
            comparison.add_row(measure, unit, labels[ours], values[ours])
        for peer in peers:
            comparison.add_row(measure, unit, labels[ours], values[ours], labels[peer], values[peer])
