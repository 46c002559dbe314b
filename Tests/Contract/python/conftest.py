"""The contract runner for the generated Python client (clients/python).

Imports the checked-in generated package (not an installed copy), so a stale
install never hides drift; `pip install clients/python` is tested separately.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "clients", "python"))
sys.path.insert(0, os.path.join(ROOT, "Tests", "Contract"))
