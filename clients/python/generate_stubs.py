#!/usr/bin/python3
"""Generates the Python messages and gRPC stubs of the suite's contracts (protos/) into OUT_DIR,
with Debian's protoc and grpc_python_plugin. The googleapis types the contracts import
(google.api, google.type, google.rpc) are generated too, unless --no-common-protos is given for an
environment that has PyPI's googleapis-common-protos installed.

Usage: generate_stubs.py OUT_DIR [--protos DIR] [--googleapis DIR] [--no-common-protos]
"""
import argparse
import os
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
COMMON = ["google/api/annotations.proto", "google/api/http.proto", "google/type/date.proto",
          "google/type/money.proto", "google/rpc/status.proto", "google/rpc/error_details.proto",
          "google/rpc/code.proto"]
PLUGIN = "/usr/bin/grpc_python_plugin"


def generate(out_dir, protos=None, googleapis=None, common=True):
    protos = pathlib.Path(protos or os.environ.get("THB_PROTOS_DIR") or HERE.parent.parent / "protos")
    googleapis = googleapis or os.environ.get(
        "THB_GOOGLEAPIS_DIR", "/usr/share/gocode/src/github.com/gogo/googleapis")
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    contracts = sorted(str(p.relative_to(protos)) for p in protos.glob("thb/**/*.proto"))
    if not contracts:
        raise SystemExit(f"no contracts under {protos}")
    includes = [f"-I{protos}", f"-I{googleapis}", "-I/usr/share/grpc-proto", "-I/usr/include"]
    run = lambda *args: subprocess.run(["protoc", *includes, *args], check=True)
    run(f"--python_out={out}", f"--grpc_python_out={out}",
        f"--plugin=protoc-gen-grpc_python={PLUGIN}", *contracts)
    if common:
        run(f"--python_out={out}", *COMMON)
    return contracts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("--protos")
    parser.add_argument("--googleapis")
    parser.add_argument("--no-common-protos", action="store_true")
    a = parser.parse_args()
    generate(a.out_dir, a.protos, a.googleapis, not a.no_common_protos)


if __name__ == "__main__":
    sys.exit(main())
