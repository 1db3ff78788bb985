"""One short run of a peer comparison end to end: bench/peers/server_vs_nginx BUILD_DIR with
DURATION=1s ROUNDS=1, its platespin.peers/1 document, and flagbench's table of it.

Exit 77 (ctest: skipped) when nginx or wrk is missing: the test never installs anything.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIPPED = 77
REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def main(build):
    missing = [p for p in ("nginx", "wrk") if not (shutil.which(p) or os.access(f"/usr/sbin/{p}", os.X_OK))]
    if missing:
        print(f"skipped: {' and '.join(missing)} not installed (apt-get install nginx wrk)")
        return SKIPPED
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "peers.json")
        env = {**os.environ, "DURATION": "1s", "ROUNDS": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        done = subprocess.run([os.path.join(REPOSITORY, "bench", "peers", "server_vs_nginx"), build, "--out", out],
                              env=env, capture_output=True, text=True, timeout=180, check=False)
        print(done.stderr)
        assert done.returncode == 0, f"exit {done.returncode}"
        with open(out, encoding="utf-8") as f:
            peers = json.load(f)
        assert peers["schema"] == "platespin.peers/1", peers["schema"]
        rows = peers["comparisons"][0]["rows"]
        assert len(rows) == 10, rows  # 5 scenarios x (req/s, p99)
        assert all(r["ours_value"] > 0 and r["peer_value"] > 0 and len(r["rounds"]) == 1 for r in rows), rows
        if os.access(os.path.join(build, "bin", "flagbench"), os.X_OK):
            assert "### flag_server against nginx" in done.stdout, done.stdout
            assert "| keep-alive, 64 connections | req/s | flag_server |" in done.stdout, done.stdout
        print(done.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1])))
