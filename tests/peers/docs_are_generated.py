"""The tables between the markers of docs/benchmarks.md and README.md are what
`flagbench report docs/peers.json` (README: --headline) prints: nobody edited them by hand.
The fix when this fails: scripts/benchmarks --docs-only.

usage: docs_are_generated.py FLAGBENCH
"""
import os
import subprocess
import sys

from platespin_peers import docs_section

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def main(flagbench):
    peers = os.path.join(REPOSITORY, "docs", "peers.json")
    stale = []
    for markdown, options in (("docs/benchmarks.md", []), ("README.md", ["--headline"])):
        with open(os.path.join(REPOSITORY, markdown), encoding="utf-8") as f:
            text = f.read()
        tables = subprocess.run([flagbench, "report", peers] + options, capture_output=True, text=True, check=True).stdout
        if docs_section.replace_between_markers(text, tables) != text:
            stale.append(markdown)
    if stale:
        print(f"{' and '.join(stale)}: the generated tables differ from docs/peers.json; run scripts/benchmarks --docs-only")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
