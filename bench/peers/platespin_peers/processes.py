"""Starting the services a comparison measures, waiting until they are ready, and ending them.

Readiness is an event, never a sleep: a platespin binary prints `listening on HOST:PORT`
as its first stdout line; a peer is ready when its first HTTP answer comes back. Every
wait is bounded by a deadline.
"""
import os
import re
import selectors
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

_LISTENING = re.compile(r"^listening on \S*:(\d+)")


class StartError(RuntimeError):
    """A service did not come up; the message says which and what it printed."""


def free_port():
    """A loopback port free right now, for the peers that cannot take port 0."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers_http(url, timeout_s=20.0, expect=200):
    """True once `url` answers with status `expect` (connection refused means not yet), within timeout_s."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == expect:
                    return True
        except urllib.error.HTTPError as e:
            if e.code == expect:
                return True
        except (OSError, urllib.error.URLError):
            pass
        # The peer has not bound its port yet; try again shortly (bounded by the deadline).
        time.sleep(0.05)
    return False


class Services:
    """The processes one comparison started: `with Services(work_dir) as s: s.start_announcing(...)`.

    Leaving the block ends every process still running (SIGTERM, then SIGKILL after 5 s).
    """

    def __init__(self, work_dir):
        self.work_dir = work_dir
        self.processes = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for process in reversed(self.processes):
            self.stop(process)
        return False

    def log_path(self, name):
        return os.path.join(self.work_dir, name + ".log")

    def log_tail(self, name, lines=5):
        try:
            with open(self.log_path(name), encoding="utf-8", errors="replace") as f:
                return " | ".join(f.read().splitlines()[-lines:])
        except OSError:
            return "(no output)"

    def start(self, name, command, env=None):
        """A process whose stdout and stderr go to WORK/NAME.log."""
        log = open(self.log_path(name), "wb")
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env=None if env is None else {**os.environ, **env})
        log.close()
        process.platespin_name = name
        self.processes.append(process)
        return process

    def start_announcing(self, name, command, timeout_s=20.0):
        """A platespin binary started with port 0: returns (process, port) from its `listening on` line."""
        log = open(self.log_path(name), "wb")
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL)
        process.platespin_name = name
        self.processes.append(process)
        port, rest = _read_announced_port(process, timeout_s)
        log.write(rest)
        # Keep draining stdout into the log so the process never blocks on a full pipe.
        process.platespin_copier = threading.Thread(target=_copy_rest, args=(process.stdout, log), daemon=True)
        process.platespin_copier.start()
        if port is None:
            self.stop(process)
            raise StartError(f"{name} did not announce `listening on` within {timeout_s:.0f} s: {self.log_tail(name)}")
        return process, port

    def stop(self, process):
        """Ends one process this comparison started (it may have ended already)."""
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        copier = getattr(process, "platespin_copier", None)
        if copier is not None:
            copier.join(timeout=5)  # the rest of its output is in the log
        if process in self.processes:
            self.processes.remove(process)


def _read_announced_port(process, timeout_s):
    """(port of the first `listening on` stdout line or None at EOF or the deadline, bytes read after it)."""
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout_s
    pending = b""
    try:
        while (left := deadline - time.monotonic()) > 0:
            if not selector.select(timeout=left):
                return None, pending
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk:
                return None, pending
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                match = _LISTENING.match(line.decode(errors="replace"))
                if match:
                    return int(match.group(1)), pending
        return None, pending
    finally:
        selector.close()


def _copy_rest(pipe, log):
    with log, pipe:
        for chunk in iter(lambda: pipe.read1(65536), b""):
            log.write(chunk)


def peak_rss_kb(pid):
    """VmHWM of a running process, in kB (0 when unreadable)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def raise_open_file_limit():
    """Soft open-file limit up to the hard one: 10,000 connections need it (children inherit it)."""
    import resource
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
