#!/usr/bin/python3
"""Runs examples/Quickstart.java (compiled by run.sh) against the suite with_suite.py started, twice
(the request ids make the second run a retry), and checks what it printed; and that the README
shows the example verbatim.  Usage: check_quickstart.py CLASSPATH"""
import os
import pathlib
import re
import subprocess
import sys

here = pathlib.Path(__file__).resolve().parent.parent
example = (here / "examples" / "Quickstart.java").read_text()
if example not in (here.parent.parent / "README.md").read_text():
    sys.exit("README.md must show clients/java/examples/Quickstart.java verbatim")


def token(roles, institution=""):
    argv = [os.environ["THBCTL"], "token", f"--key_file={os.environ['THB_KEY_FILE']}",
            f"--roles={roles}"] + ([f"--institution={institution}"] if institution else [])
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout.strip()


env = dict(os.environ, THB_OFFICE_TOKEN=token("coordinator_office"),
           THB_POLICE_TOKEN=token("reporting_institution", "institutions/border-police-java"))
for attempt in (1, 2):
    out = subprocess.run(["java", "-cp", sys.argv[1], "Quickstart"], env=env,
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        sys.exit(f"Quickstart failed (run {attempt}):\n{out.stdout}\n{out.stderr}")
    lines = out.stdout.splitlines()
    expected = ["created institutions/border-police-java",
                "institution institutions/border-police-java",
                "violation institution.display_name - is required",
                "refused RESOURCE_NOT_FOUND institutions/nobody"]
    missing = [e for e in expected if e not in lines]
    if not any(re.fullmatch(r"submitted statisticsSubmissions/\S+ version 1", l) for l in lines):
        missing.append("submitted ... version 1")
    if missing:
        sys.exit(f"run {attempt}: missing {missing} in:\n{out.stdout}")
print("Quickstart.java: created, paged, submitted and read a field violation, twice")
