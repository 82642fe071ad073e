"""The ./hypcore command-line tool: set-up, QEMU runs and the QEMU test suites.

Modules:
  common  constants (QEMU virt facts), number parsing, errors, logging
  build   Debian packages, libfdt for the targets, Meson configure/build, host unit tests
  image   reading the built images: ELF symbols, the Linux arm64 Image header, patched copies
  model   independent models of what hypcore must print (decision line, DT facts,
          memory map and heap figures, SMP numbering and stacks), and all parsing of its lines
  qemu    QEMU command lines for each loader, memory placement, running and watching a boot
  suites  the test cases of ./hypcore test, sweep and bench (and the shared case helpers)
  memsuite  issue 3 in QEMU: memory map, heap, selftest=heap; heap_init and allocator bench
  smpsuite  issue 4 in QEMU: secondary CPU bring-up and its self-tests; bring-up bench
  fuzz    ./hypcore fuzz and the bounded fuzz case of ./hypcore test
"""
