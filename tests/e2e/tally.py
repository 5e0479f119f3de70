"""Pass/fail counting for the end-to-end scripts: each check prints what
failed, and the summary is the `NAME: N passed, M failed` line CI reads."""


class Tally:
    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        """Counts one check; prints `what` when it failed."""
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print('FAIL: ' + what)

    def finish(self):
        """Prints the summary line; the process exit status to return."""
        print('%s: %d passed, %d failed' % (self.name, self.passed, self.failed))
        return 1 if self.failed else 0
