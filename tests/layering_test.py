#!/usr/bin/python3
"""The libraries of services/common keep their edges: a file of one library (and the gateway)
includes services/common headers only of itself and of the libraries it links (transitively),
as services/common/CMakeLists.txt declares them. Header-only files belong to the library named
in HEADER_ONLY. Exits 1 listing every include that crosses an edge."""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
COMMON = os.path.join(ROOT, "services", "common")

# Header-only files and the library they belong to.
HEADER_ONLY = {
    "audit_actor.h": "thb_aip",
    "status_macros.h": "thb_base",
    "gauges.h": "thb_base",
    "versioned_rows.h": "thb_aip",
    "paging.h": "thb_aip",
    "mutation.h": "thb_audit",
    "resource_table.h": "thb_audit",
    "audit_rpcs.h": "thb_runtime",
    "upstream_call.h": "thb_runtime",
}


def parse_cmake(path):
    """Library -> (sources, linked thb_ libraries) from add_library/target_link_libraries."""
    text = open(path).read()
    libs = {}
    for m in re.finditer(r"add_library\((thb_\w+) STATIC([^)]*)\)", text):
        libs[m.group(1)] = ([s for s in m.group(2).split() if s.endswith(".cc")], set())
    for m in re.finditer(r"target_link_libraries\((thb_\w+) PUBLIC([^)]*)\)", text):
        if m.group(1) in libs:
            libs[m.group(1)][1].update(t for t in m.group(2).split() if t.startswith("thb_")
                                       and t != "thb_protos")
    return libs


def closure(libs, name):
    seen, todo = set(), [name]
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        todo.extend(libs.get(n, ((), set()))[1])
    return seen


def includes(path):
    return re.findall(r'#include "services/common/([a-z_]+\.h)"', open(path).read())


def main():
    libs = {k: v for k, v in parse_cmake(os.path.join(COMMON, "CMakeLists.txt")).items()
            if k != "thb_testing"}
    owner = dict(HEADER_ONLY)
    for lib, (sources, _) in libs.items():
        for src in sources:
            owner[src[:-3] + ".h"] = lib
            owner[src] = lib
    problems = []
    headers = [f for f in os.listdir(COMMON) if f.endswith(".h")]
    for h in headers:
        if h not in owner:
            problems.append(f"services/common/{h}: belongs to no library (add it to HEADER_ONLY)")
    for f in sorted(os.listdir(COMMON)):
        if not (f.endswith(".h") or f.endswith(".cc")) or f.endswith("_test.cc") or f not in owner:
            continue
        allowed = closure(libs, owner[f])
        for inc in includes(os.path.join(COMMON, f)):
            if owner.get(inc) not in allowed:
                problems.append(f"services/common/{f} ({owner[f]}) includes {inc} "
                                f"({owner.get(inc)}), which {owner[f]} does not link")
    # The gateway links thb_base only.
    gateway = os.path.join(ROOT, "gateway")
    for f in sorted(os.listdir(gateway)):
        if (f.endswith(".h") or f.endswith(".cc")) and not f.endswith("_test.cc"):
            for inc in includes(os.path.join(gateway, f)):
                if owner.get(inc) != "thb_base":
                    problems.append(f"gateway/{f} includes services/common/{inc} "
                                    f"({owner.get(inc)}); the gateway links thb_base only")
    if problems:
        print("\n".join(problems))
        return 1
    print(f"{len(libs)} libraries, {len(owner)} files: every include within its library's edges")
    return 0


if __name__ == "__main__":
    sys.exit(main())
