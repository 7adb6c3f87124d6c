#!/usr/bin/env python3
"""A station's keyboard on a terminal (a pty, as a kiosk's console started from a login shell):
Ctrl-C, Ctrl-Z and Ctrl-\\ must be plain bytes to the station, which keeps running and answers a
key afterwards (9, "who can help me"); SIGTERM and SIGQUIT must leave the terminal as it was
(stty -g before and after).
The live assistant keeps Ctrl-C as its way out. Devices: the ALSA file plugin (no server).
usage: keyboard.py TALKLEAF CONF_DIR"""
import fcntl
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import termios
import time

talkleaf, conf = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
D = tempfile.mkdtemp(prefix="talkleaf-keyboard-", dir=os.environ.get("TMPDIR", "/tmp"))
fails = []
env = dict(os.environ, ALSA_CONFIG_PATH=os.path.join(conf, "asound-file.conf"),
           PA_TEST_IN=os.path.join(D, "mic.raw"), PA_TEST_OUT=os.path.join(D, "out.wav"))
# alsa-lib's dlopen'd plugins leak at exit (see run-pulse.sh); not ours to fix.
env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"), "detect_leaks=0"]))
with open(env["PA_TEST_IN"], "wb") as f:
    f.write(bytes(16000 * 2 * 60))


def fail(msg):
    print("FAIL: " + msg)
    fails.append(msg)


def child_setup():
    # The pty becomes the controlling terminal, its process group the foreground one: what
    # the keyboard's signal keys reach. No core file from SIGQUIT.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def wait_for(pred, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


def log_has(path, text):
    try:
        with open(path) as f:
            return text in f.read()
    except FileNotFoundError:
        return False


def start(name, station):
    master, slave = os.openpty()
    before = termios.tcgetattr(master)
    log = os.path.join(D, name + ".jsonl")
    err = open(os.path.join(D, name + ".err"), "w")
    args = [talkleaf, "--language", "en", "--log", log, "--no-speech-timeout", "60"] + (["--station"] if station else [])
    p = subprocess.Popen(args, stdin=slave, stdout=err, stderr=err, env=env, cwd=D,
                         start_new_session=True, preexec_fn=child_setup)
    os.close(slave)
    # Raw mode: the keypad is open.
    if not wait_for(lambda: termios.tcgetattr(master) != before or p.poll() is not None, 60):
        fail(name + ": the terminal was never put into raw mode")
    if p.poll() is not None:
        fail("%s: ended at start (exit %d)" % (name, p.returncode))
    return p, master, before, log


def stop(name, p, master, before, sig):
    if p.poll() is None:
        p.send_signal(sig)
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        fail("%s: still running 10 s after signal %d" % (name, sig))
        p.kill()
        p.wait()
    if termios.tcgetattr(master) != before:
        fail("%s: the terminal was not restored after signal %d (exit %d)" %
             (name, sig, p.returncode))
    os.close(master)
    return p.returncode


# The station: signal keys are bytes; it answers a key after them; SIGTERM restores.
p, master, before, log = start("station", True)
if not termios.tcgetattr(master)[3] & termios.ISIG:
    print("station: ISIG is off on its terminal")
if not wait_for(lambda: log_has(log, '"event":"start"') or p.poll() is not None, 60):
    fail("station: no greeting within 60 s")
os.write(master, b"\x03\x1a\x1c")
time.sleep(1)
if p.poll() is not None:
    fail("station: Ctrl-C, Ctrl-Z, Ctrl-\\ ended it (exit %d)" % p.returncode)
else:
    os.write(master, b"9")
    answered = '"key":"9","said":["topic:who-can-help"'
    if not wait_for(lambda: log_has(log, answered) or p.poll() is not None, 30):
        # Logged once the answer has played; help (0) logs it at once, its 7 stops.
        os.write(master, b"07")
    if not wait_for(lambda: log_has(log, answered), 10):
        fail("station: key 9 not answered after the signal keys")
rc = stop("station", p, master, before, signal.SIGTERM)
print("station: exit %d after SIGTERM" % rc)

# SIGQUIT (kill -QUIT: the keyboard cannot send it any more) leaves the terminal as it was.
p, master, before, log = start("quit", True)
rc = stop("quit", p, master, before, signal.SIGQUIT)
print("station: exit %d after SIGQUIT" % rc)

# The live assistant: Ctrl-C on its keyboard still ends it, terminal restored.
p, master, before, log = start("live", False)
os.write(master, b"\x03")
if not wait_for(lambda: p.poll() is not None, 10):
    fail("live: Ctrl-C did not end it within 10 s")
rc = stop("live", p, master, before, signal.SIGKILL)
print("live: exit %d after Ctrl-C" % rc)

for name in ("station", "quit", "live"):
    with open(os.path.join(D, name + ".err")) as f:
        text = f.read()
    if text:
        print("--- %s stderr:\n%s" % (name, text), end="")
shutil.rmtree(D)
print("keyboard: all good" if not fails else "keyboard: %d failures" % len(fails))
sys.exit(1 if fails else 0)
