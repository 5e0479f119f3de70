#!/usr/bin/env python3
"""`kiln run` names wasm functions for perf in /tmp/perf-PID.map, when perf
started it (or KILN_PERF_MAP=1), and writes nothing otherwise.

Compiles a module with named and unnamed functions and runs an export with
`kiln run --invoke`, checking the result each time (the code ran after
moving to anonymous pages): plainly (no map), with KILN_PERF_MAP=1 and under
a stand-in `perf` parent (a map with one well-formed line per function: the
name section's names, wasm-function[N] for the rest), and under the stand-in
with --no-perf-map or KILN_PERF_MAP=0 (no map). Where `perf record` works on
this machine, also checks that `perf report` shows the hot function by name
(otherwise that part says skipped, and why).

usage: perf_map.py --aotc AOTC --kiln KILN
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

MODULE = r'''
(module
  (func $hot_loop (export "hot_loop") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  (func $twice (export "twice") (param i32) (result i32)
    (i32.add (call $hot_loop (local.get 0)) (call $hot_loop (local.get 0))))
  (func (export "unnamed") (result i32) (i32.const 7)))
'''
LINE = re.compile(r'^([0-9a-f]+) ([0-9a-f]+) (.+)$')

from tally import Tally

TALLY = Tally('perf-map')
check = TALLY.check


def run_kiln(kiln, args, env, parent=None):
    """Runs kiln, under `parent` (a stand-in perf) if given; returns
    (kiln's pid, exit status, stdout, stderr)."""
    pid_file = None
    command = [kiln] + args
    if parent:
        pid_file = os.path.join(os.path.dirname(parent), 'pid')
        env = dict(env, PIDFILE=pid_file)
        command = [parent] + command
    p = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    out, err = p.communicate(timeout=300)
    pid = p.pid
    if pid_file:
        with open(pid_file) as f:
            pid = int(f.read())
    return pid, p.returncode, out, err


# A parent named perf, as `perf record -- CMD` is: runs CMD as its child.
STAND_IN_PERF = """#!/bin/sh
"$@" &
echo $! > "$PIDFILE"
wait $!
"""


def map_path(pid):
    return '/tmp/perf-%d.map' % pid


def take_map(pid):
    """The lines of pid's map (None if there is none); the file is removed."""
    path = map_path(pid)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        lines = f.read().splitlines()
    os.remove(path)
    return lines


def check_perf(kiln, artifact, env, work):
    perf = shutil.which('perf')
    if not perf:
        return 'perf not found (apt install linux-perf)'
    data = os.path.join(work, 'perf.data')
    rec = subprocess.run([perf, 'record', '-q', '-e', 'cpu-clock', '-o', data, '--', kiln, 'run',
                          '--invoke', 'hot_loop', artifact, '300000000'],
                         capture_output=True, text=True, env=env, timeout=600)
    if rec.returncode != 0 or not os.path.exists(data):
        return 'perf record does not work here: ' + (rec.stderr.strip().splitlines() or ['?'])[-1]
    rep = subprocess.run([perf, 'report', '-i', data, '--stdio', '--sort', 'dso,sym'],
                         capture_output=True, text=True, timeout=600)
    check(re.search(r'\[JIT\] tid \d+ +\[\.\] hot_loop', rep.stdout) is not None,
          'perf report names hot_loop:\n' + rep.stdout[-2000:])
    for tid in set(re.findall(r'\[JIT\] tid (\d+)', rep.stdout)):  # the recorded run's map
        take_map(int(tid))
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--aotc', required=True)
    ap.add_argument('--kiln', required=True)
    a = ap.parse_args()
    env = dict(os.environ)
    env.pop('KILN_PERF_MAP', None)
    with tempfile.TemporaryDirectory(prefix='kiln-perf-map-') as work:
        wat = os.path.join(work, 'm.wat')
        artifact = os.path.join(work, 'm.so')
        with open(wat, 'w') as f:
            f.write(MODULE)
        subprocess.run([a.aotc, wat, '-o', artifact], check=True)

        expected = str(2 * loop_value(10))
        twice = ['run', '--invoke', 'twice', artifact, '10']
        pid, status, out, err = run_kiln(a.kiln, twice, env)
        check(status == 0 and out.strip() == expected, 'twice(10): status %d, %r %r' % (status, out, err))
        check(take_map(pid) is None, 'a plain kiln run writes no map')

        stand_in = os.path.join(work, 'bin', 'perf')
        os.makedirs(os.path.dirname(stand_in))
        with open(stand_in, 'w') as f:
            f.write(STAND_IN_PERF)
        os.chmod(stand_in, 0o755)
        for how, run_env, parent in [('KILN_PERF_MAP=1', dict(env, KILN_PERF_MAP='1'), None),
                                     ('under perf', env, stand_in)]:
            pid, status, out, err = run_kiln(a.kiln, twice, run_env, parent)
            check(status == 0 and out.strip() == expected,
                  '%s: twice(10) runs from the moved code: status %d, %r %r' % (how, status, out, err))
            lines = take_map(pid)
            check(lines is not None, '%s: kiln run writes %s' % (how, map_path(pid)))
            names = {}
            for line in lines or []:
                m = LINE.match(line)
                check(m is not None, '%s: well-formed map line: %r' % (how, line))
                if m:
                    check(int(m.group(2), 16) > 0, '%s: nonzero size: %r' % (how, line))
                    names[m.group(3)] = int(m.group(1), 16)
            check(set(names) == {'hot_loop', 'twice', 'wasm-function[2]'},
                  '%s: one line per function, named: %r' % (how, sorted(names)))
            check(len(set(names.values())) == len(names), '%s: distinct addresses: %r' % (how, names))

        unnamed = ['run', '--invoke', 'unnamed', artifact]
        pid, status, _, _ = run_kiln(a.kiln, ['run', '--no-perf-map'] + unnamed[1:], env, stand_in)
        check(status == 0 and take_map(pid) is None, 'under perf, --no-perf-map writes no map')
        pid, status, _, _ = run_kiln(a.kiln, unnamed, dict(env, KILN_PERF_MAP='0'), stand_in)
        check(status == 0 and take_map(pid) is None, 'under perf, KILN_PERF_MAP=0 writes no map')

        skipped = check_perf(a.kiln, artifact, env, work)
        if skipped:
            print('perf report check: skipped (%s)' % skipped)
    return TALLY.finish()


def loop_value(n):
    acc = 0
    for i in range(n):
        acc = (acc * 31 + i) & 0xFFFFFFFF
    return acc if acc < 2 ** 31 else acc - 2 ** 32


if __name__ == '__main__':
    sys.exit(main())
