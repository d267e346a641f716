#!/usr/bin/env python3
"""Checks that every Swift target of Package.swift declares exactly the
project targets and package products its sources import: a module used but
not declared builds only by luck of the build order, and one declared but
never imported makes the dependency graph lie. Part of `make test`.

Usage: scripts/check-target-imports.py [package.json]   (default: runs `swift package dump-package`)
"""
import glob
import json
import re
import subprocess
import sys

# Products of other packages, by the module name a source imports.
PRODUCTS = {"ArgumentParser", "Yams", "GRDB", "Hummingbird"}


def main():
    if len(sys.argv) > 1:
        package = json.load(open(sys.argv[1]))
    else:
        package = json.loads(subprocess.run(["swift", "package", "dump-package"], check=True,
                                            capture_output=True, text=True).stdout)
    targets = {t["name"]: t for t in package["targets"]}
    problems = []
    for name, target in sorted(targets.items()):
        if target["type"] in ("system", "plugin"):
            continue
        folder = target.get("path") or ("Tests/" if target["type"] == "test" else "Sources/") + name
        declared = {value[0] for dependency in target["dependencies"] for value in dependency.values()}
        imported = set()
        for source in glob.glob(folder + "/**/*.swift", recursive=True):
            with open(source) as file:
                imported |= set(re.findall(r"^(?:@testable )?import (\w+)", file.read(), re.M))
        used = (imported & (set(targets) | PRODUCTS)) - {name}
        for module in sorted(used - declared):
            problems.append(f"{name} imports {module} but does not declare it in Package.swift")
        for module in sorted(declared - imported):
            if targets.get(module, {}).get("type") != "plugin":
                problems.append(f"{name} declares {module} in Package.swift but never imports it")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"check-target-imports: {len(targets)} targets declare what they import")


main()
