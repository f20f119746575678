#!/usr/bin/env python3
"""Reads ctest's JUnit output (ctest --output-junit FILE): prints each skipped
test with the last line it printed (its reason), then the totals as one line
`tests: N passed, N failed, N skipped`. Used by tools/test.sh.

  tools/test_summary.py FILE.xml
"""
import sys
import xml.etree.ElementTree as ET


def main():
    root = ET.parse(sys.argv[1]).getroot()
    passed = failed = skipped = 0
    for case in root.iter("testcase"):
        status = case.get("status", "")
        if case.find("skipped") is not None or status in ("notrun", "disabled"):
            skipped += 1
            out = (case.findtext("system-out") or "").strip().splitlines()
            reasons = [l for l in out if "skip" in l.lower()] or out or ["(no output)"]
            print(f"skipped: {case.get('name')}: {reasons[-1].strip()}")
        elif case.find("failure") is not None or case.find("error") is not None or status == "fail":
            failed += 1
        else:
            passed += 1
    print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")


if __name__ == "__main__":
    main()
