"""Sums the JUnit reports that CI's test runs wrote (Vitest, Playwright, Schemathesis) into one
closing line, "Total: N passed, N failed, N skipped".

Why: the last runner in .ci/run is Schemathesis, whose pytest-style closing line ("3 warnings in
10s") names no test, so a log reader that trusts the closing line took a green run for one that
ran nothing. The plain line is read in any language.

Usage: python3 scripts/ci-summary.py reports/*.xml
"""

import sys
import xml.etree.ElementTree as ElementTree


def count(path):
    passed = failed = skipped = 0
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        outcomes = {child.tag for child in case}
        if outcomes & {"failure", "error"}:
            failed += 1
        elif "skipped" in outcomes:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def main(paths):
    if not paths:
        sys.exit("ci-summary: no JUnit report to read")
    totals = [0, 0, 0]
    for path in paths:
        passed, failed, skipped = count(path)
        print(f"{path}: {passed} passed, {failed} failed, {skipped} skipped")
        totals = [total + n for total, n in zip(totals, (passed, failed, skipped))]
    passed, failed, skipped = totals
    if passed == 0:
        sys.exit("ci-summary: the reports hold no test that ran")
    print(f"Total: {passed} passed, {failed} failed, {skipped} skipped")
    # A failure has already stopped .ci/run; this guards a report written by a runner that
    # exited 0 all the same.
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
