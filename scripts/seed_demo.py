#!/usr/bin/python3
"""Replays demo/fictional-state.json through the gateway: the fictional Republic of Valdoria's
institutions, the Co-ordinator's mandate, an adopted National Action Plan with progress reports,
Commission members, five years of statistics, the Rapporteur's recommendations with the
addressees' responses, a published annual report, a NAP evaluation and an architecture assessment. Tokens come from `thbctl token` and the development key.

Usage: seed_demo.py --gateway http://127.0.0.1:8080 --key .run/hs256.key --thbctl PATH [--data FILE]
"""
import argparse
import datetime
import json
import subprocess
import sys
import urllib.error
import urllib.request


def resolve_dates(value, today):
    """Replaces {"daysFromToday": N} by the google.type.Date N days from today (UTC)."""
    if isinstance(value, dict):
        if set(value) == {"daysFromToday"}:
            d = today + datetime.timedelta(days=value["daysFromToday"])
            return {"year": d.year, "month": d.month, "day": d.day}
        return {k: resolve_dates(v, today) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_dates(v, today) for v in value]
    return value


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gateway", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--thbctl", required=True, help="the thbctl binary (mints the tokens)")
    ap.add_argument("--data", default="demo/fictional-state.json")
    args = ap.parse_args()

    with open(args.data, encoding="utf-8") as f:
        doc = resolve_dates(json.load(f), datetime.datetime.now(datetime.timezone.utc).date())
    tokens = {}

    def token_for(who):
        key = json.dumps(who, sort_keys=True)
        if key not in tokens:
            cmd = [args.thbctl, "token", f"--key_file={args.key}", f"--sub={who['sub']}",
                   f"--roles={','.join(who['roles'])}"]
            if who.get("institution"):
                cmd.append(f"--institution={who['institution']}")
            tokens[key] = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()
        return tokens[key]

    for n, step in enumerate(doc["steps"], 1):
        body = json.dumps(step.get("body", {})).encode() if "body" in step else None
        req = urllib.request.Request(args.gateway + step["path"], data=body, method=step["method"])
        req.add_header("Authorization", "Bearer " + token_for(step["as"]))
        if body is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                resp.read()
        except urllib.error.HTTPError as e:
            print(f"demo data step {n} ({step['method']} {step['path']}) failed: "
                  f"{e.code} {e.read().decode(errors='replace')}", file=sys.stderr)
            return 1
    print(f"demo data: {len(doc['steps'])} steps applied ({doc['notice'].split('.')[0].lower()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
