"""python3 -m platespin_peers COMPARISON [BUILD_DIR] [--out FILE]: run comparisons, write platespin.peers/1.

COMPARISON is server_vs_nginx, proxy_vs_peers, clients_vs_peers or all. BUILD_DIR (default
build/release, relative to the repository) holds bin/ and data/. The document goes to --out
(default results/peers-COMPARISON-<UTC>.json); then BUILD_DIR/bin/flagbench report prints its tables.
"""
import argparse
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from . import clients_vs_peers, document, processes, proxy_vs_peers, server_vs_nginx, tools

COMPARISONS = {"server_vs_nginx": server_vs_nginx, "proxy_vs_peers": proxy_vs_peers,
               "clients_vs_peers": clients_vs_peers}
REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
RELEASE_TARGETS = ["flag_server", "chaos_proxy", "flags_sequential", "flags_threadpool", "flags_async",
                   "floor_forwarder", "floor_client", "flagbench", "flag_data"]


def parse_arguments(argv):
    parser = argparse.ArgumentParser(prog="platespin_peers", description=__doc__.split("\n\n")[0])
    parser.add_argument("comparison", choices=list(COMPARISONS) + ["all"])
    parser.add_argument("build", nargs="?", help="the build folder (default build/release, built when missing)")
    parser.add_argument("--out", help="where to write the platespin.peers/1 JSON")
    return parser.parse_args(argv)


def build_release_when_missing():
    """The old scripts' behaviour with no BUILD_DIR: build what is missing into build/release."""
    if all(os.access(os.path.join("build/release/bin", t), os.X_OK) for t in RELEASE_TARGETS[:-1]) and \
            os.path.isfile("build/release/data/flags/ad/ad.gif"):
        return
    print("platespin_peers: building " + " ".join(RELEASE_TARGETS) + " in build/release first", file=sys.stderr)
    if not os.path.isfile("build/release/build.ninja"):
        subprocess.run(["cmake", "--preset", "release"], check=True, stdout=sys.stderr)
    jobs = os.environ.get("PLATESPIN_JOBS", "2")
    subprocess.run(["cmake", "--build", "build/release", "-j", jobs, "--target"] + RELEASE_TARGETS, check=True,
                   stdout=sys.stderr)


def main(argv):
    arguments = parse_arguments(argv)
    os.chdir(REPOSITORY)  # BUILD_DIR and --out relative to the repository, as the bash scripts had it
    if arguments.build is None:
        build_release_when_missing()
    build = tools.Build(arguments.build or "build/release")
    names = list(COMPARISONS) if arguments.comparison == "all" else [arguments.comparison]
    command = "python3 -m platespin_peers " + " ".join(shlex.quote(a) for a in argv)
    out = arguments.out or os.path.join("results", f"peers-{arguments.comparison}-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.json")

    # SIGTERM ends the run the way Ctrl-C does: every started process is stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    peers = document.new_document(command)
    try:
        for name in names:
            work = tempfile.mkdtemp(prefix=f"{name}.")
            try:
                peers["comparisons"].append(COMPARISONS[name].run(build, work).as_json())
            finally:
                shutil.rmtree(work, ignore_errors=True)
    except tools.Missing as e:
        print(e, file=sys.stderr)
        return 2
    except (RuntimeError, OSError, ValueError, subprocess.SubprocessError) as e:
        print(f"platespin_peers: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    document.finish(peers)
    document.write_whole(out, peers)
    print(f"result: {out}", file=sys.stderr)
    flagbench = build.binary("flagbench")
    if os.access(flagbench, os.X_OK):
        return subprocess.run([flagbench, "report", out], check=False).returncode
    print(f"platespin_peers: no {flagbench}; render the tables with `flagbench report {out}`", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
