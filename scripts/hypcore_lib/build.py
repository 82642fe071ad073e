"""Set-up shared by run/test/sweep/bench: Debian packages, libfdt, Meson builds.

Everything here is incremental: a package that is installed, a libfdt that is
unpacked and a build directory that is configured are left alone, and ninja
rebuilds only what changed.
"""
import contextlib
import fcntl
import glob
import json
import os
import subprocess

from .common import BUILD, TOP, Failure, say

# Debian 12 packages the project needs, and why.
PACKAGES = {
    # The host compiler for build/host: without it "cc" is clang on a fresh machine,
    # whose hosted -O1.. turns common/string.c's loops into memcpy/memset calls.
    'gcc': 'host compiler for the unit tests',
    'libc6-dev': 'the C library headers the unit tests build against',
    'gcc-aarch64-linux-gnu': 'arm64 cross compiler',
    'gcc-arm-linux-gnueabihf': 'arm32 cross compiler',
    'qemu-system-arm': 'qemu-system-aarch64 / qemu-system-arm',
    'meson': 'the build',
    'ninja-build': 'the build',
    'device-tree-compiler': 'dtc, fdtget, fdtput for the DTB checks',
    'u-boot-qemu': 'U-Boot for the uboot loader',
    'libfdt-dev': 'libfdt for the host unit tests',
    'clang': 'fuzzing',
    # clang only recommends its runtimes; without them -fsanitize=fuzzer cannot link.
    'libclang-rt-14-dev': 'libFuzzer and the sanitizer runtimes for clang (fuzzing)',
    'python3': 'Debian\'s /usr/bin/python3, which runs ./hypcore and the suites',
    'python3-pytest': 'the test runner of the QEMU suites',
    'python3-pytest-xdist': 'pytest on both cores (-n)',
    'gdb-multiarch': 'gdb for arm64/arm32 targets: ./hypcore run --gdb and the debug: tests',
    'python3-matplotlib': 'the clash map of ./hypcore sweep --suite load --plot (PNG and SVG)',
}

# Per target: Debian architecture and GNU triplet (where libfdt.a lives).
TARGETS = {
    'arm64': ('arm64', 'aarch64-linux-gnu'),
    'arm32': ('armhf', 'arm-linux-gnueabihf'),
}

DEPS = os.path.join(BUILD, 'deps')


def _run(argv, what, cwd=None, check=True):
    """Run a set-up command quietly; on failure raise with the end of its output."""
    proc = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    if check and proc.returncode != 0:
        tail = '\n'.join(proc.stdout.splitlines()[-40:])
        raise Failure(f'{what} failed ({" ".join(argv)}, exit {proc.returncode}):\n{tail}')
    return proc


def _sudo():
    return [] if os.geteuid() == 0 else ['sudo']


def missing_packages(names=PACKAGES):
    """The packages of `names` that dpkg does not report as installed."""
    missing = []
    for name in names:
        proc = subprocess.run(['dpkg-query', '-W', '-f=${Status}', name],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        if proc.returncode != 0 or not proc.stdout.endswith(' installed'):
            missing.append(name)
    return missing


def ensure_packages(names=PACKAGES):
    """Install whatever of `names` is missing (apt-get update first, only then)."""
    missing = missing_packages(names)
    if not missing:
        return
    for name in missing:
        say(f'installing {name} ({PACKAGES.get(name, "needed")})')
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    subprocess.run(_sudo() + ['apt-get', 'update'], env=env, check=False)
    proc = subprocess.run(_sudo() + ['apt-get', 'install', '-y', '--no-install-recommends']
                          + missing, env=env)
    if proc.returncode != 0:
        raise Failure('apt-get install failed for: ' + ' '.join(missing))


def libfdt_dir(arch):
    """Where libfdt-dev for `arch` is unpacked (its root, for -Dlibfdt_dir)."""
    return os.path.join(DEPS, 'libfdt-' + TARGETS[arch][0])


_deps_lock_holder = None     # the pid holding build/deps/fetch.lock


@contextlib.contextmanager
def deps_lock():
    """One fetcher at a time in build/deps, across processes and re-entrant in one.

    pytest-xdist workers share build/deps: on a fresh machine one worker's
    dpkg -x read the Xen .deb another was still downloading ("unexpected end
    of file in archive"), and apt-get download into one directory is not
    safe twice at once either."""
    global _deps_lock_holder
    if _deps_lock_holder == os.getpid():    # a forked child does not inherit the lock
        yield
        return
    os.makedirs(DEPS, exist_ok=True)
    with open(os.path.join(DEPS, 'fetch.lock'), 'w', encoding='utf-8') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _deps_lock_holder = os.getpid()
        try:
            yield
        finally:
            _deps_lock_holder = None


APT_DIR = os.path.join(DEPS, 'apt')


def apt_options():
    """apt-get/apt-cache options for the private list directory in build/deps/apt,
    which knows the foreign architectures (the host's own apt is never touched)."""
    return ['-o', 'APT::Architectures::=amd64', '-o', 'APT::Architectures::=arm64',
            '-o', 'APT::Architectures::=armhf',
            '-o', 'Dir::State::Lists=' + os.path.join(APT_DIR, 'lists'),
            # Offline, fail in seconds rather than after apt's long default retries.
            '-o', 'Acquire::Retries=0', '-o', 'Acquire::http::Timeout=20']


def apt_update(force=False):
    """Fetch the private package lists (once, unless force).  The update may
    report a hash mismatch for some index and exit 100 while the lists needed
    are fine: only what is downloaded afterwards must succeed."""
    os.makedirs(os.path.join(APT_DIR, 'lists', 'partial'), exist_ok=True)
    if force or not glob.glob(os.path.join(APT_DIR, 'lists', '*Packages*')):
        _run(['apt-get'] + apt_options() + ['update'], 'apt-get update', check=False)


def fetch_deb(package, deb_arch, dest, inside):
    """apt-get download `package`:`deb_arch` into build/deps/apt (once) and
    dpkg -x it into dest (once); the last path under dest matching the glob
    `inside`.  Under deps_lock(): pytest-xdist workers fetch in parallel."""
    found = sorted(glob.glob(os.path.join(dest, inside)))
    if found:
        return found[-1]
    with deps_lock():
        found = sorted(glob.glob(os.path.join(dest, inside)))
        if found:                           # another process fetched it meanwhile
            return found[-1]
        pattern = os.path.join(APT_DIR, f'{package}_*_{deb_arch}.deb')
        if not glob.glob(pattern):
            apt_update()
            say(f'downloading {package}:{deb_arch} into {os.path.relpath(APT_DIR, TOP)}')
            _run(['apt-get'] + apt_options() + ['download', f'{package}:{deb_arch}'],
                 f'apt-get download {package}', cwd=APT_DIR)
        debs = sorted(glob.glob(pattern))
        if not debs:
            raise Failure(f'apt-get download left no {os.path.basename(pattern)} in {APT_DIR}')
        _run(['dpkg', '-x', debs[-1], dest], f'dpkg -x {package}')
        found = sorted(glob.glob(os.path.join(dest, inside)))
        if not found:
            raise Failure(f'{debs[-1]} has no {inside}')
        return found[-1]


def fetch_libfdt(arch):
    """Download Debian's libfdt-dev for the target and unpack it with dpkg -x.

    libfdt-dev:arm64/armhf cannot be installed beside the host's, so apt-get
    is pointed at a private list directory that knows the foreign
    architectures, and the .deb is only unpacked into build/deps.
    """
    deb_arch, triplet = TARGETS[arch]
    dest = libfdt_dir(arch)
    if os.path.exists(os.path.join(dest, 'usr', 'lib', triplet, 'libfdt.a')):
        return dest
    apt_dir = APT_DIR
    debs = glob.glob(os.path.join(apt_dir, f'libfdt-dev_*_{deb_arch}.deb'))
    if not debs:
        say(f'downloading libfdt-dev:{deb_arch} into {os.path.relpath(apt_dir, TOP)}')
        apt_update(force=True)
        _run(['apt-get'] + apt_options() + ['download', 'libfdt-dev:arm64', 'libfdt-dev:armhf'],
             'apt-get download libfdt-dev', cwd=apt_dir)
        debs = glob.glob(os.path.join(apt_dir, f'libfdt-dev_*_{deb_arch}.deb'))
        if not debs:
            raise Failure(f'apt-get download left no libfdt-dev_*_{deb_arch}.deb in {apt_dir}')
    _run(['dpkg', '-x', sorted(debs)[-1], dest], 'dpkg -x libfdt-dev')
    return dest


def cross_dir(arch):
    return os.path.join(BUILD, arch)


def build_cross(arch):
    """Configure (once) and build hypcore for `arch`; return the build directory."""
    bdir = cross_dir(arch)
    cross_file = os.path.join(TOP, 'configs', 'cross', arch + '.ini')
    if not os.path.exists(cross_file):
        raise Failure(f'--arch {arch} is not yet supported (no configs/cross/{arch}.ini)')
    fdt = fetch_libfdt(arch)
    if not os.path.exists(os.path.join(bdir, 'build.ninja')):
        say(f'configuring {os.path.relpath(bdir, TOP)}')
        _run(['meson', 'setup', bdir, '--cross-file', cross_file, '-Dlibfdt_dir=' + fdt],
             f'meson setup for {arch}', cwd=TOP)
    elif _layouts_missing(arch, bdir):
        # meson.build lists configs/layouts/<arch>/ when it is configured; a
        # layout added since has no image until Meson looks again.
        say(f'reconfiguring {os.path.relpath(bdir, TOP)}: new layouts')
        _run(['meson', 'setup', '--reconfigure', bdir], f'meson setup for {arch}', cwd=TOP)
    _run(['ninja', '-C', bdir], f'building hypcore for {arch}')
    return bdir


def _layouts_missing(arch, bdir):
    """True when configs/layouts/<arch>/ names a layout the configured build has no
    image target for (and the build links every layout, the default)."""
    from . import image
    try:
        with open(os.path.join(bdir, 'meson-info', 'intro-targets.json'), encoding='utf-8') as f:
            targets = {t['name'] for t in json.load(f)}
        with open(os.path.join(bdir, 'meson-info', 'intro-buildoptions.json'),
                  encoding='utf-8') as f:
            chosen = [o['value'] for o in json.load(f) if o['name'] == 'layouts']
    except (OSError, ValueError, KeyError):
        return False
    if chosen and chosen[0]:
        return False
    return any(f'hypcore-{name}' not in targets for name in image.layouts(arch))


def build_host():
    """Configure (once) and build the host unit tests; return the build directory."""
    bdir = os.path.join(BUILD, 'host')
    if not os.path.exists(os.path.join(bdir, 'build.ninja')):
        say('configuring build/host')
        _run(['meson', 'setup', bdir], 'meson setup for the host unit tests', cwd=TOP)
    _run(['ninja', '-C', bdir], 'building the host unit tests')
    return bdir


def prepare(arch):
    """Everything a QEMU run needs: packages, libfdt and the cross build."""
    ensure_packages()
    return build_cross(arch)
