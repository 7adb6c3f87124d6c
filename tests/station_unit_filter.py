#!/usr/bin/env python3
"""Run a command under the system-call restrictions of the station's unit, as systemd applies
them, so tests/test_station_unit.sh can check the station works inside them (there is no systemd
to start the unit in a container). From the unit file: SystemCallFilter= (groups expanded by
`systemd-analyze syscall-filter`), SystemCallArchitectures=native, MemoryDenyWriteExecute=,
RestrictAddressFamilies=AF_UNIX, RestrictNamespaces=, LockPersonality=. Any call outside them
kills the process with SIGSYS (stricter than the unit's EPERM, so nothing is hidden).
usage: station_unit_filter.py UNIT_FILE COMMAND [ARG...]  (exit 77: libseccomp missing)"""
import ctypes
import ctypes.util
import os
import re
import subprocess
import sys

ALLOW, KILL = 0x7FFF0000, 0x80000000
ERRNO = lambda e: 0x00050000 | e  # noqa: E731
MASKED_EQ, EQ = 7, 4
PROT_WRITE, PROT_EXEC = 2, 4
AF_UNIX, ENOSYS = 1, 38
CLONE_NEW = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | \
    0x40000000 | 0x00000080


class Cmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("a", ctypes.c_uint64),
                ("b", ctypes.c_uint64)]


def groups():
    """Every @group of `systemd-analyze syscall-filter`, as a name -> members dict."""
    out = subprocess.run(["systemd-analyze", "syscall-filter", "--no-pager"], check=True,
                         capture_output=True, text=True).stdout
    table, cur = {}, None
    for line in out.splitlines():
        if line.startswith("@"):
            cur = table.setdefault(line.strip(), [])
        elif cur is not None and line.strip() and not line.strip().startswith("#"):
            cur.append(line.strip())
    return table


def expand(names, table, seen=None):
    seen = set() if seen is None else seen
    calls = set()
    for n in names:
        if n.startswith("@"):
            if n not in seen:
                seen.add(n)
                calls |= expand(table.get(n, []), table, seen)
        else:
            calls.add(n)
    return calls


def allowed(unit, table):
    calls = set()
    for value in re.findall(r"^SystemCallFilter=(.*)$", unit, re.M):
        negative = value.startswith("~")
        names = value.lstrip("~").split()
        calls = calls - expand(names, table) if negative else calls | expand(names, table)
    if not calls:
        sys.exit("the unit has no SystemCallFilter=")
    return calls


def main():
    unit_path, argv = sys.argv[1], sys.argv[2:]
    unit = open(unit_path).read()
    name = ctypes.util.find_library("seccomp")
    if not name:
        print("no libseccomp: skipped")
        sys.exit(77)
    lib = ctypes.CDLL(name)
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int,
                                           ctypes.c_uint, ctypes.POINTER(Cmp)]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    calls = allowed(unit, groups())
    ctx = lib.seccomp_init(KILL)

    def rule(action, call, *cmps):
        nr = lib.seccomp_syscall_resolve_name(call.encode())
        if nr < 0:
            return
        arr = (Cmp * max(len(cmps), 1))(*[Cmp(*c) for c in cmps])
        if lib.seccomp_rule_add_array(ctypes.c_void_p(ctx), action, nr, len(cmps), arr) != 0:
            sys.exit("seccomp: cannot add a rule for " + call)

    special = {"mmap", "mprotect", "pkey_mprotect", "socket", "clone", "clone3", "unshare",
               "setns", "personality"}
    for call in sorted(calls - special):
        rule(ALLOW, call)
    wx = PROT_WRITE | PROT_EXEC
    if "yes" in re.findall(r"^MemoryDenyWriteExecute=(.*)$", unit, re.M):
        for prot in (0, PROT_WRITE, PROT_EXEC):  # never both
            rule(ALLOW, "mmap", (2, MASKED_EQ, wx, prot))
        for call in ("mprotect", "pkey_mprotect"):  # never made executable later
            rule(ALLOW, call, (2, MASKED_EQ, PROT_EXEC, 0))
    else:
        for call in ("mmap", "mprotect", "pkey_mprotect"):
            rule(ALLOW, call)
    if re.search(r"^RestrictAddressFamilies=AF_UNIX$", unit, re.M):
        rule(ALLOW, "socket", (0, EQ, AF_UNIX, 0))
    else:
        rule(ALLOW, "socket")
    if re.search(r"^RestrictNamespaces=yes$", unit, re.M):
        rule(ALLOW, "clone", (0, MASKED_EQ, CLONE_NEW, 0))
        rule(ERRNO(ENOSYS), "clone3")  # its flags are out of reach: glibc falls back to clone
    else:
        for call in ("clone", "clone3", "unshare", "setns"):
            rule(ALLOW, call)
    if re.search(r"^LockPersonality=yes$", unit, re.M):
        rule(ALLOW, "personality", (0, EQ, 0, 0))
        rule(ALLOW, "personality", (0, EQ, 0xFFFFFFFF, 0))
    else:
        rule(ALLOW, "personality")
    if not re.search(r"^SystemCallArchitectures=native$", unit, re.M):
        sys.exit("the unit does not set SystemCallArchitectures=native")
    sys.stdout.flush()
    if lib.seccomp_load(ctypes.c_void_p(ctx)) != 0:
        sys.exit("seccomp: cannot load the filter")
    os.execvp(argv[0], argv)


main()
