#!/usr/bin/env python3
"""Split the coffee orders by file into a tuning part and a reporting part, with a fixed seed.

Run once, before any tuning (issue 19); the two lists are committed and never made again, so a
threshold tuned on tune.txt is reported on recordings it never saw. Usage: split.py [DIR]
(default: coffee/ beside this script). Python's random with a fixed seed gives the same
shuffle on every version since 3.2.
"""
import json
import os
import random
import sys

SEED = 19
REPORT = 100  # the reporting part: at least 100 (issue 19); the other 100 are for tuning

HEADER = """# {what} of the coffee orders: made by split.py (seed {seed}) before any tuning; do not edit.
# file<TAB>the topic of tests/data/scripts-drinks/ it asks for (its coffeeDrink, '-' for spaces)
"""


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "coffee")
    with open(os.path.join(folder, "labels.json")) as f:
        labels = json.load(f)
    files = sorted(labels)
    random.Random(SEED).shuffle(files)
    parts = {"report.txt": ("The reporting part", sorted(files[:REPORT])),
             "tune.txt": ("The tuning part", sorted(files[REPORT:]))}
    for name, (what, part) in parts.items():
        with open(os.path.join(folder, name), "w") as f:
            f.write(HEADER.format(what=what, seed=SEED))
            for file in part:
                topic = labels[file]["slots"]["coffeeDrink"].replace(" ", "-")
                f.write(f"{file}\t{topic}\n")


if __name__ == "__main__":
    main()
