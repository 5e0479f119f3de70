#!/usr/bin/env python3
"""A test that cannot run on this machine: prints `skipped: REASON` and exits
77, which meson reports as SKIP. With --required-in-ci, a run under CI=true
fails instead (CI must run it)."""
import os
import sys

args = sys.argv[1:]
required = '--required-in-ci' in args
reason = ' '.join(a for a in args if a != '--required-in-ci')
if required and os.environ.get('CI') == 'true':
    print('error: %s (CI=true: this test must run)' % reason)
    sys.exit(1)
print('skipped: %s' % reason)
sys.exit(77)
