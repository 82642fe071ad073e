"""The memory map, the heap and selftest=heap on arm64, against a model of the
inputs (RAM, image, DTB, /memreserve/, /reserved-memory, modules): cases
"mem:*" from scripts/hypcore_lib/memsuite.py."""
from conftest import arches, run_case
from hypcore_lib import memsuite


def cases(config):
    return memsuite.cases('arm64') if arches(config) in (None, 'arm64') else []


def test_mem(case):
    run_case(case)
