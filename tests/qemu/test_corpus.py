"""The hostile-DTB corpus (tests/corpus/manifest.toml): every case through the
real DT -> memory map -> heap -> PSCI code on the host (build/host's dt-boot, all
in one process), a slice of them booted in QEMU as well ("corpus:qemu:*"):
scripts/hypcore_lib/corpussuite.py."""
from conftest import arches, run_case
from hypcore_lib import corpussuite


def cases(config):
    return corpussuite.cases() if arches(config) in (None, 'arm64') else []


def test_corpus(case):
    run_case(case)
