"""Fixtures for the x402 tests, which run in their own environment
(.venv-x402, Tests/x402/requirements.txt): the daemon helpers and the
LiteSVM node of Tests/python, loaded from there. Tests/python/conftest.py is
loaded under a private module name and its fixtures and helpers re-exported,
so that `wallet_helpers` (which does `from conftest import ...`) finds them here.
"""
from __future__ import annotations

import importlib.util
import pathlib
import sys

PYTHON_TESTS = pathlib.Path(__file__).resolve().parents[1] / "python"
if str(PYTHON_TESTS) not in sys.path:
    sys.path.insert(0, str(PYTHON_TESTS))


def _main_conftest():
    name = "waiaas_tests_python_conftest"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, PYTHON_TESTS / "conftest.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_main = _main_conftest()
REPO = _main.REPO
Daemon = _main.Daemon
FrameSocket = _main.FrameSocket
bin_dir = _main.bin_dir
proto = _main.proto
daemon_home = _main.daemon_home
