"""Secondary CPU bring-up on arm64 and its self-tests, against the DTB's /cpus
and the per-CPU layout: cases "smp:*" from scripts/hypcore_lib/smpsuite.py."""
from conftest import arches, run_case
from hypcore_lib import smpsuite


def cases(config):
    return smpsuite.cases('arm64') if arches(config) in (None, 'arm64') else []


def test_smp(case):
    run_case(case)
