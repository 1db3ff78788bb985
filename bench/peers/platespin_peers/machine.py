"""What the document says about the machine a comparison ran on."""
import os
import platform


def load_average():
    """The 1-, 5- and 15-minute load averages."""
    return [round(x, 2) for x in os.getloadavg()]


def describe():
    """Host, cores, CPU model, kernel, memory: enough to tell two machines apart."""
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    memory_mb = 0
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            memory_mb = int(next(line for line in f if line.startswith("MemTotal:")).split()[1]) // 1024
    except (OSError, StopIteration):
        pass
    return {"hostname": platform.node(), "cores": os.cpu_count() or 0, "cpu": cpu,
            "kernel": platform.release(), "memory_mb": memory_mb}
