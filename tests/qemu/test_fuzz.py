"""The libFuzzer target (DTB bytes through the DT, memory map and heap code,
ASan+UBSan) for a bounded number of inputs: scripts/hypcore_lib/fuzz.py."""
from conftest import run_case
from hypcore_lib import fuzz


def cases(config):
    return [fuzz.test_case()]


def test_fuzz(case):
    run_case(case)
