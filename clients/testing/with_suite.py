#!/usr/bin/python3
"""Runs a command against the real suite: the four binaries on free loopback ports (port 0), each
with its own SQLite database in a temporary directory, and a fresh HS256 development key. The
command finds them in its environment:

  THB_COORDINATOR, THB_COMMISSION, THB_RAPPORTEUR  gRPC targets (host:port)
  THB_GATEWAY                                      the HTTP/JSON gateway (http://host:port)
  THB_KEY_FILE                                     the HS256 key the services verify tokens with
  THBCTL                                           thbctl (`thbctl token` mints tokens for that key)
  THB_SUITE_DIR                                    the temporary directory (removed afterwards)

Usage: with_suite.py --build BUILD_DIR [--seed] -- COMMAND [ARGS...]
The exit status is the command's. Nothing waits by sleeping: each binary is ready when it logs
"listening" with its address.
"""
import argparse
import base64
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Process:
    """A binary whose log lines are collected; `address` is set once it logs "listening"."""

    def __init__(self, name, argv, log_dir):
        self.name = name
        self.lines = []
        self.address = None
        self._ready = threading.Event()
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)
        self._log_path = os.path.join(log_dir, f"{name}.log")
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            if self.address is None and line.startswith("{"):
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if entry.get("msg") == "listening":
                    self.address = entry["address"]
                    self._ready.set()
        self._ready.set()  # exited: wake the waiter, which sees no address

    def wait_listening(self):
        self._ready.wait()
        if self.address is None:
            raise RuntimeError(f"{self.name} exited before listening:\n" + "\n".join(self.lines))
        return self.address

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        with open(self._log_path, "w", encoding="utf-8") as log:
            log.write("\n".join(self.lines))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", required=True)
    parser.add_argument("--seed", action="store_true", help="load the demo data set")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")
    build = os.path.abspath(args.build)
    directory = tempfile.mkdtemp(prefix="thb-clients-")
    key_file = os.path.join(directory, "hs256.key")
    with open(os.open(key_file, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
        f.write(base64.urlsafe_b64encode(secrets.token_bytes(48)).decode().rstrip("="))
    processes = []

    def start(name, binary, extra):
        argv = [os.path.join(build, binary), f"--jwt_hs256_key_file={key_file}",
                "--listen=127.0.0.1:0"] + extra
        p = Process(name, argv, directory)
        processes.append(p)
        return p.wait_listening()

    status = 1
    try:
        def service(name):
            return ["--admin_listen=127.0.0.1:0", f"--db={os.path.join(directory, name + '.db')}"]
        coordinator = start("coordinator", "services/coordinator/thb-coordinator",
                            service("coordinator"))
        commission = start("commission", "services/commission/thb-commission",
                           service("commission") + [f"--coordinator_target={coordinator}"])
        rapporteur = start("rapporteur", "services/rapporteur/thb-rapporteur",
                           service("rapporteur") + [
                               f"--coordinator_target={coordinator}",
                               f"--commission_target={commission}",
                               "--rapporteur_institution=institutions/ombudsperson",
                               "--statistics_country=XVD"])
        gateway_argv = [os.path.join(build, "gateway/thb-gateway"), "--listen=127.0.0.1:0",
                        f"--coordinator_target={coordinator}",
                        f"--commission_target={commission}",
                        f"--rapporteur_target={rapporteur}"]
        gw = Process("gateway", gateway_argv, directory)
        processes.append(gw)
        gateway = "http://" + gw.wait_listening()
        thbctl = os.path.join(build, "tools/thbctl/thbctl")
        if args.seed:
            subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts/seed_demo.py"),
                            "--gateway", gateway, "--key", key_file, "--thbctl", thbctl,
                            "--data", os.path.join(ROOT, "demo/fictional-state.json")],
                           check=True)
        env = dict(os.environ, THB_COORDINATOR=coordinator, THB_COMMISSION=commission,
                   THB_RAPPORTEUR=rapporteur, THB_GATEWAY=gateway, THB_KEY_FILE=key_file,
                   THBCTL=thbctl, THB_SUITE_DIR=directory)
        status = subprocess.run(command, env=env, check=False).returncode
    finally:
        for p in reversed(processes):
            p.stop()
        crashed = [p.name for p in processes if p.proc.returncode not in (0, -signal.SIGTERM)]
        if crashed:
            print(f"with_suite: {', '.join(crashed)} did not exit cleanly; logs in {directory}",
                  file=sys.stderr)
            status = status or 1
        elif not os.environ.get("THB_KEEP_TMP"):
            subprocess.run(["rm", "-rf", directory], check=False)
    return status


if __name__ == "__main__":
    sys.exit(main())
