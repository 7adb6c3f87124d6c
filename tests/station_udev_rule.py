#!/usr/bin/env python3
"""Read the station's udev rule as udev does and apply it to one sound card, so
tests/test_station_unit.sh can check without udev that the rule parses and marks the station's card
(and only it) for the desktop's sound servers to leave alone. Each line: comma-separated
KEY[{attr}]OP"value" items (udev's rule syntax); the keys the rule may use are the ones below. The
card is an "add" of sound/cardN with the given id; IMPORT{program} is run (its $attr{id}
substituted, the built program standing for the installed one, CONF appended as the file to read)
and its KEY=value lines are printed, as udev would import them.
usage: station_udev_rule.py RULE INSTALLED_PROGRAM BUILT_PROGRAM CARD_ID CONF"""
import fnmatch
import re
import shlex
import subprocess
import sys

ITEM = re.compile(r'\s*([A-Z_]+)(?:\{([a-z_]+)\})?\s*(==|!=|=|\+=)\s*"([^"]*)"\s*(,|$)')
MATCH_KEYS = {"ACTION", "SUBSYSTEM", "KERNEL"}


def parse(line, where):
    items, pos = [], 0
    while pos < len(line):
        m = ITEM.match(line, pos)
        if not m:
            sys.exit(f"{where}: cannot read a rule item at column {pos + 1}: {line[pos:]!r}")
        key, attr, op, value = m.group(1), m.group(2), m.group(3), m.group(4)
        if key in MATCH_KEYS and op in ("==", "!=") and attr is None:
            pass
        elif key == "IMPORT" and attr == "program" and op == "=":
            pass
        else:
            sys.exit(f"{where}: {key}{{{attr}}}{op} is not an item this rule should use")
        items.append((key, op, value))
        pos = m.end()
    return items


def main():
    rule, installed, built, card_id, conf = sys.argv[1:6]
    device = {"ACTION": "add", "SUBSYSTEM": "sound", "KERNEL": "card1"}
    imported, rules = {}, 0
    for n, line in enumerate(open(rule), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        rules += 1
        items = parse(line, f"{rule}:{n}")
        matches = all((fnmatch.fnmatchcase(device[k], v) == (op == "=="))
                      for k, op, v in items if k in MATCH_KEYS)
        for key, op, value in items:
            if key != "IMPORT" or not matches:
                continue
            argv = shlex.split(value.replace("$attr{id}", card_id))
            if argv[0] != installed:
                sys.exit(f"{rule}:{n}: runs {argv[0]}, not the installed {installed}")
            # udev executes it (installed rwxr-xr-x); the built copy may lack the mode.
            if not open(built).readline().startswith("#!/bin/sh"):
                sys.exit(f"{built}: not a /bin/sh script")
            out = subprocess.run(["/bin/sh", built] + argv[1:] + [conf], check=True,
                                 capture_output=True, text=True).stdout
            for prop in out.splitlines():
                k, _, v = prop.partition("=")
                imported[k] = v
    if rules == 0:
        sys.exit(f"{rule}: no rule")
    for k in sorted(imported):
        print(f"{k}={imported[k]}")


main()
