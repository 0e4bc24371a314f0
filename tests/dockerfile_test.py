#!/usr/bin/python3
"""Checks the Dockerfile against the binaries it packages (no Docker engine needed).

Usage: dockerfile_test.py <repo root> <binary>...

- The runtime stage is Debian 12 slim, runs as a numeric non-root user, copies only the one
  binary from the build stage and starts it in exec form.
- Its package list is exactly what the binaries need: the Debian package of every library a
  binary links directly (DT_NEEDED, resolved as the dynamic linker does, package from dpkg),
  apart from libc6/libgcc-s1 which every Debian image has. A library missing from the list fails
  (the image would not start); a package no binary needs fails too (the image carries only the
  binary and its runtime libraries; apt brings the dependencies of the listed ones).
- The build stage copies every directory the release build reads, and .dockerignore lets them in.
"""
import os
import re
import subprocess
import sys

IN_EVERY_IMAGE = {"libc6", "libgcc-s1"}


def stages(text):
    text = re.sub(r"\\\n", " ", text)
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word.upper() == "FROM":
            out.append({"from": rest.split()[0], "lines": []})
        elif out:
            out[-1]["lines"].append((word.upper(), rest.strip()))
    return out


def needed_packages(binary):
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]",
                        subprocess.run(["readelf", "-d", binary], capture_output=True, text=True,
                                       check=True).stdout)
    resolved = {}
    for line in subprocess.run(["ldd", binary], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        m = re.match(r"\s*(\S+) => (\S+)", line)
        if m:
            resolved[m.group(1)] = m.group(2)
    packages = {}
    for soname in needed:
        if soname not in resolved or resolved[soname] == "not":
            raise SystemExit(f"{binary}: {soname} does not resolve")
        path = os.path.realpath(resolved[soname])
        owner = None
        for candidate in (path, path.replace("/usr/lib/", "/lib/", 1), resolved[soname]):
            r = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if r.returncode == 0:
                owner = r.stdout.split(":")[0]
                break
        if owner is None:
            raise SystemExit(f"{binary}: no Debian package owns {path} ({soname})")
        packages[owner] = soname
    return packages


def main():
    root, binaries = sys.argv[1], sys.argv[2:]
    errors = []
    dockerfile = open(os.path.join(root, "Dockerfile")).read()
    st = stages(dockerfile)
    if len(st) < 2:
        errors.append("Dockerfile: not multi-stage")
    runtime = st[-1]
    if runtime["from"] != "debian:12-slim":
        errors.append(f"runtime stage is {runtime['from']}, not debian:12-slim")
    users = [rest for word, rest in runtime["lines"] if word == "USER"]
    if not users or not re.fullmatch(r"[1-9]\d*(:[1-9]\d*)?", users[-1]):
        errors.append(f"runtime stage USER {users} is not a numeric non-root uid[:gid]")
    copies = [rest for word, rest in runtime["lines"] if word == "COPY"]
    if copies != ["--from=build /out/${BINARY} /usr/local/bin/thb-service",
                  "--from=build /out/ui /usr/share/thb/ui"]:
        errors.append(f"runtime stage copies {copies}, not just the one binary and the web UI")
    entry = [rest for word, rest in runtime["lines"] if word == "ENTRYPOINT"]
    if entry != ['["/usr/local/bin/thb-service"]']:
        errors.append(f"ENTRYPOINT {entry} is not the binary in exec form")
    runs = " ".join(rest for word, rest in runtime["lines"] if word == "RUN")
    m = re.search(r"apt-get install -y --no-install-recommends (.*?)&&", runs)
    listed = set(m.group(1).split()) if m else set()
    if not listed:
        errors.append("runtime stage installs no packages")

    wanted = {}
    for b in binaries:
        for package, soname in needed_packages(b).items():
            wanted.setdefault(package, []).append(f"{os.path.basename(b)}:{soname}")
    for package, users_of in sorted(wanted.items()):
        if package not in listed and package not in IN_EVERY_IMAGE:
            errors.append(f"runtime stage lacks {package} (needed by {', '.join(users_of)})")
    for package in sorted(listed - set(wanted)):
        errors.append(f"runtime stage installs {package}, which no binary links directly")

    build = st[0]
    copied = set()
    for word, rest in build["lines"]:
        if word == "COPY":
            copied.update(rest.split()[:-1])
    for top in ("CMakeLists.txt", "CMakePresets.json", "cmake", "protos", "services", "gateway",
                "bench", "ui", "package.json", "package-lock.json"):
        if top not in copied:
            errors.append(f"build stage does not copy {top}, which the build reads")
    for line in open(os.path.join(root, "CMakeLists.txt")):
        sub = re.match(r"\s*add_subdirectory\((\S+?)\)", line)
        if sub and sub.group(1).split("/")[0] not in copied and sub.group(1) != "tests":
            errors.append(f"CMakeLists.txt adds {sub.group(1)}, which the build stage does not copy")
    ignore = open(os.path.join(root, ".dockerignore")).read().split()
    for top in copied:
        if f"!{top}" not in ignore and f"!{top}/" not in ignore:
            errors.append(f".dockerignore keeps {top} out of the build context")

    print(f"runtime packages: {' '.join(sorted(listed))}")
    print(f"needed by {len(binaries)} binaries: {' '.join(sorted(wanted))}")
    for e in errors:
        print(f"FAIL {e}")
    sys.exit(1 if errors else 0)


main()
