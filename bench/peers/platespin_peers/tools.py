"""Getting the peers: Debian packages, toxy from npm, Toxiproxy built offline; and our build's binaries."""
import os
import shutil
import subprocess
import sys


class Missing(RuntimeError):
    """Something a comparison cannot run without; the message says what to do."""


def have(program):
    return shutil.which(program) is not None or os.access(f"/usr/sbin/{program}", os.X_OK)


def program_path(program):
    return shutil.which(program) or f"/usr/sbin/{program}"


def apt_install(who, packages):
    """Installs the Debian packages that are missing (root or sudo); quiet when none are."""
    missing = [p for p in packages if not have(p)]
    if not missing:
        return
    print(f"{who}: installing {' '.join(missing)}", file=sys.stderr)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(sudo + ["apt-get", "update", "-qq"], env=env, check=False, timeout=300)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + missing,
                   env=env, check=False, timeout=600, stdout=subprocess.DEVNULL)
    # nginx's package starts a system nginx on port 80; we run our own.
    if "nginx" in missing:
        subprocess.run(sudo + ["systemctl", "disable", "--now", "nginx"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    still = [p for p in missing if not have(p)]
    if still:
        raise Missing(f"{who}: could not install {' '.join(still)} (Debian packages; run as root or with sudo)")


class Build:
    """A platespin build folder: BUILD/bin/<binary> and BUILD/data/flags/."""

    def __init__(self, folder):
        self.folder = os.path.abspath(folder)
        self.bin = os.path.join(self.folder, "bin")
        self.data = os.path.join(self.folder, "data")

    def binary(self, name):
        return os.path.join(self.bin, name)

    def require(self, who, binaries):
        for name in binaries:
            if not os.access(self.binary(name), os.X_OK):
                raise Missing(f"{who}: {self.binary(name)} not found; build it first "
                              f"(ninja -C {self.folder} {' '.join(binaries)} flag_data)")
        if not os.path.isfile(os.path.join(self.data, "flags", "ad", "ad.gif")):
            raise Missing(f"{who}: {self.data}/flags/ad/ad.gif not found; build the data set first "
                          f"(ninja -C {self.folder} flag_data)")


def toxiproxy_server(build, comparison):
    """BUILD/peers/toxiproxy/bin/toxiproxy-server, built once with TOXIPROXY_BUILDER
    (default ../shared/peers/toxiproxy/build: Debian's Go, offline, about a minute); None when it cannot be had."""
    folder = os.path.join(build.folder, "peers", "toxiproxy")
    server = os.path.join(folder, "bin", "toxiproxy-server")
    if os.access(server, os.X_OK):
        return server
    builder = os.environ.get("TOXIPROXY_BUILDER", "../shared/peers/toxiproxy/build")
    if not os.access(builder, os.X_OK):
        comparison.leave_out(f"Toxiproxy left out: no {server} and no builder at {builder}")
        return None
    log_path = os.path.join(build.folder, "peers", "toxiproxy-build.log")
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    print(f"{comparison.name}: building Toxiproxy into {folder} (about a minute; log: {log_path})", file=sys.stderr)
    with open(log_path, "wb") as log:
        try:
            subprocess.run([builder, folder], stdout=log, stderr=subprocess.STDOUT, timeout=600, check=False)
        except subprocess.TimeoutExpired:
            pass
    if os.access(server, os.X_OK):
        return server
    if not have("go"):
        comparison.leave_out(f"Toxiproxy left out: Go is missing and could not be installed (Debian golang-go; log: {log_path})")
    else:
        comparison.leave_out(f"Toxiproxy left out: its build failed (log: {log_path})")
    return None


def toxy_modules(comparison):
    """node_modules holding toxy 0.3.16 (npm, cached under XDG_CACHE_HOME); None when node or npm is missing."""
    cache = os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache"))
    folder = os.path.join(cache, "platespin", "toxy")
    modules = os.path.join(folder, "node_modules")
    if not (have("node") and have("npm")):
        comparison.leave_out("toxy left out: no node/npm")
        return None
    if not os.path.isdir(os.path.join(modules, "toxy")):
        try:
            subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", folder,
                            "toxy@0.3.16"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=120, check=False)
        except subprocess.TimeoutExpired:
            pass
    if not os.path.isdir(os.path.join(modules, "toxy")):
        comparison.leave_out("toxy left out: npm install toxy@0.3.16 failed")
        return None
    return modules


def cpu_pins():
    """(server pin, client pin): taskset on CPU 0 and 1 when there are two cores, else nothing."""
    if shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
        return ["taskset", "-c", "0"], ["taskset", "-c", "1"]
    return [], []
