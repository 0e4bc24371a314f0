"""Builds thb-client: the hand-written helpers in src/thb_client plus the messages and stubs that
generate_stubs.py makes from protos/ at build time (nothing generated is checked in)."""
import os
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate_stubs  # noqa: E402


class BuildWithStubs(build_py):
    def run(self):
        super().run()
        common = os.environ.get("THB_CLIENT_COMMON_PROTOS", "bundled") != "external"
        generate_stubs.generate(self.build_lib, common=common)


setup(cmdclass={"build_py": BuildWithStubs})
