"""The ./hypcore command-line tool: set-up, QEMU runs and the QEMU test suites.

Modules:
  common  constants (QEMU virt facts), number parsing, errors, logging
  build   Debian packages, libfdt for the targets, Meson configure/build, host unit tests
  image   reading the built images: ELF symbols, the Linux arm64 Image header, patched copies
  model   independent models of what hypcore must print (decision line, DT facts)
  qemu    QEMU command lines for each loader, memory placement, running and watching a boot
  suites  the test cases of ./hypcore test, sweep and bench
"""
