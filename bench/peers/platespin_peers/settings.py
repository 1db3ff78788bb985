"""The environment variables the comparisons read (the old scripts' names and defaults)."""
import os


def rounds():
    """ROUNDS: how many alternating rounds each contender runs (default 3)."""
    return int(os.environ.get("ROUNDS", "3"))


def duration():
    """DURATION: one wrk run of server_vs_nginx, like "10s" (default 10s)."""
    return os.environ.get("DURATION", "10s")


def seconds_per_run():
    """SECONDS_PER_RUN: one wrk run of proxy_vs_peers in seconds (default: DURATION, else 10)."""
    if "SECONDS_PER_RUN" in os.environ:
        return int(os.environ["SECONDS_PER_RUN"])
    return max(1, round(seconds(duration())))


def rss_seconds():
    """RSS_SECONDS: the 10,000-connection run of proxy_vs_peers (default max(10, SECONDS_PER_RUN): opening
    10,000 connections alone takes a few seconds)."""
    if "RSS_SECONDS" in os.environ:
        return int(os.environ["RSS_SECONDS"])
    return max(10, seconds_per_run())


def local_repeat():
    """LOCAL_REPEAT: AA..ZZ this many times for clients_vs_peers' LOCAL runs (default 20)."""
    return int(os.environ.get("LOCAL_REPEAT", "20"))


def seconds(text):
    """ "10s", "2m" or "10" as seconds."""
    text = str(text).strip()
    if text.endswith("m"):
        return float(text[:-1]) * 60
    if text.endswith("s"):
        return float(text[:-1])
    return float(text)


def as_dict():
    """What the document records as the run's settings."""
    return {"ROUNDS": rounds(), "DURATION": duration(), "SECONDS_PER_RUN": seconds_per_run(),
            "RSS_SECONDS": rss_seconds(),
            "LOCAL_REPEAT": local_repeat()}
