"""Running wrk and reading its --latency output: the one parser of it."""
import re
import subprocess

from . import settings

# wrk prints durations as 812.00us, 1.23ms, 2.50s or 1.05m.
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
_DURATION = re.compile(r"^([0-9.]+)(us|ms|s|m)$")


def to_ms(text):
    """wrk's "1.23ms" as milliseconds; ValueError on anything else."""
    match = _DURATION.match(text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNIT_MS[match.group(2)]


def parse(output):
    """wrk --latency output -> {requests_per_s, p50_ms, p99_ms, max_ms, errors}.

    errors counts socket errors (connect, read, write, timeout) and non-2xx/3xx answers,
    so nobody is fast by failing. ValueError when the output has no Requests/sec line.
    """
    result = {"requests_per_s": None, "p50_ms": None, "p99_ms": None, "max_ms": None, "errors": 0}
    for line in output.splitlines():
        fields = line.split()
        if not fields:
            continue
        if fields[0] == "Latency" and len(fields) >= 4 and _DURATION.match(fields[3]):
            result["max_ms"] = to_ms(fields[3])
        elif fields[0] == "50%" and len(fields) >= 2:
            result["p50_ms"] = to_ms(fields[1])
        elif fields[0] == "99%" and len(fields) >= 2:
            result["p99_ms"] = to_ms(fields[1])
        elif fields[0] == "Requests/sec:":
            result["requests_per_s"] = float(fields[1])
        elif line.strip().startswith("Socket errors:"):
            result["errors"] += sum(int(n) for n in re.findall(r"\d+", line))
        elif line.strip().startswith("Non-2xx or 3xx responses:"):
            result["errors"] += int(fields[-1])
    if result["requests_per_s"] is None:
        raise ValueError("wrk printed no Requests/sec line:\n" + output[-500:])
    return result


def run(url, threads, connections, duration, header=None, timeout="5s", pin=()):
    """One wrk run; `duration` like "10s". Bounded: killed 30 s after its duration."""
    command = list(pin) + ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}", "--timeout", timeout, "--latency"]
    if header:
        command += ["-H", header]
    command.append(url)
    done = subprocess.run(command, capture_output=True, text=True,
                          timeout=settings.seconds(duration) + 30, check=False)
    return parse(done.stdout + done.stderr)
