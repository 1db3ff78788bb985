"""The platespin.peers/1 document: what a peer run measured, row by row (see README, "Formats").

{"schema": "platespin.peers/1", "command": "...", "started_at": "...Z", "finished_at": "...Z",
 "machine": {...}, "load_before": [1, 5, 15], "load_after": [...], "settings": {"ROUNDS": 3, ...},
 "comparisons": [{"name", "title", "setup", "left_out": ["why a peer is missing"],
                  "notes": ["..."],
                  "rows": [{"measure", "unit", "ours", "ours_value", "peer", "peer_value", "ratio",
                            "rounds": [{"ours": v, "peer": v}, ...], "headline": "..."}]}]}

A row is one measure of one of our binaries beside one peer: the values are medians of
`rounds`, ratio is ours_value / peer_value (null when there is no peer value). `peer` is
null for a row with nothing to compare against. `headline` (optional) is the README's
words for a headline figure.
"""
import datetime
import json
import os
import sys
import tempfile

from . import machine, settings
from .stats import median, ratio

SCHEMA = "platespin.peers/1"


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Comparison:
    """One comparison's rows as they are measured: samples per (contender, measure) and round."""

    def __init__(self, name, title, setup):
        self.name, self.title, self.setup = name, title, setup
        self.left_out, self.notes, self.rows = [], [], []

    def leave_out(self, why):
        """A peer that could not be had: said on stderr now and kept in the document."""
        print(f"{self.name}: {why}", file=sys.stderr)
        self.left_out.append(why)

    def add_row(self, measure, unit, ours, our_rounds, peer=None, peer_rounds=None):
        """One row from per-round values (peer_rounds the same length as our_rounds, or None)."""
        peer_rounds = peer_rounds if peer is not None else None
        rounds = [{"ours": o, "peer": None if peer_rounds is None else peer_rounds[i]}
                  for i, o in enumerate(our_rounds)]
        ours_value = median(our_rounds)
        peer_value = None if peer_rounds is None else median(peer_rounds)
        self.rows.append({"measure": measure, "unit": unit, "ours": ours, "ours_value": ours_value,
                          "peer": peer, "peer_value": peer_value, "ratio": ratio(ours_value, peer_value),
                          "rounds": rounds})

    def mark_headline(self, headline, measure, unit, ours, peer=None):
        """Names a row a headline figure: `flagbench report --headline` prints it for the README."""
        for row in self.rows:
            if (row["measure"], row["unit"], row["ours"], row["peer"]) == (measure, unit, ours, peer):
                row["headline"] = headline
                return
        print(f"{self.name}: no row {measure!r} {unit!r} {ours!r} {peer!r} to mark a headline", file=sys.stderr)

    def as_json(self):
        return {"name": self.name, "title": self.title, "setup": self.setup, "left_out": self.left_out,
                "notes": self.notes, "rows": self.rows}


def new_document(command):
    return {"schema": SCHEMA, "command": command, "started_at": utc_now(), "finished_at": None,
            "machine": machine.describe(), "load_before": machine.load_average(), "load_after": None,
            "settings": settings.as_dict(), "comparisons": []}


def finish(document):
    document["finished_at"] = utc_now()
    document["load_after"] = machine.load_average()


def write_whole(path, document):
    """Temp file + rename: a reader sees the whole document or none."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".peers-", suffix=".json", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(document, f, indent=2)
            f.write("\n")
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise
