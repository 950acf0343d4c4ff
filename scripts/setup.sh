#!/usr/bin/env bash
# setup.sh: installs what vmgpu needs to build and test on Debian 12 (bookworm).
#
# Idempotent: asks dpkg which packages are already there and runs apt-get
# (update + install) only when something is missing, so a second run does
# nothing. Uses sudo only when not run as root.
#
#   scripts/setup.sh           install what is missing
#   scripts/setup.sh --check   list what is missing; exit 1 if anything is
#
# Environment:
#   VMGPU_SKIP_ROCM=1   do not install rocm-device-libs (the AMD target's
#                       bitcode libraries; the build works without them).
#                       With them and lld-22, the build sets up the ROCm
#                       directory MLIR wants in build/rocm (docs/rocm-path.md)

set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

check_only=0
case "${1:-}" in
  --check) check_only=1 ;;
  "") ;;
  -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "setup.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

# LLVM/MLIR 22 (from bookworm-security), the build tools, and the libraries
# the runtime and the tests link against.
required=(
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools clang-22 lld-22 liblld-22-dev
  libgtest-dev ninja-build cmake ccache python3-numpy libomp-22-dev
  nlohmann-json3-dev libxxhash-dev zlib1g-dev libzstd-dev
)
# Wanted but not needed: the AMD target is built only when these exist;
# the DLPack header lets the tests check the runtime's DLPack structs against
# the standard's (they skip without it); compiler-rt holds the sanitizer and
# libFuzzer runtimes scripts/sanitize.sh and scripts/fuzz.sh link; OpenBLAS
# is the BLAS the CPU's `library` contraction strategy dlopens at run time
# (libopenblas.so.0; without it contractions stay generated and its tests
# skip), and NumPy's BLAS for the benchmarks.
optional=(libdlpack-dev libclang-rt-22-dev libopenblas0-pthread)
if [ "${VMGPU_SKIP_ROCM:-0}" != 1 ]; then
  optional+=(rocm-device-libs)
fi

log() { echo "setup: $*"; }

if [ -r /etc/os-release ]; then
  # shellcheck source=/dev/null
  . /etc/os-release
  if [ "${ID:-}" != debian ] || [ "${VERSION_ID:-}" != 12 ]; then
    log "warning: written for Debian 12 (bookworm); this is ${PRETTY_NAME:-unknown}"
  fi
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  log "error: dpkg-query not found; install the packages by hand:" >&2
  log "  ${required[*]} ${optional[*]}" >&2
  exit 1
fi

installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

missing=()
for pkg in "${required[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done
missing_optional=()
for pkg in "${optional[@]}"; do
  installed "$pkg" || missing_optional+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ] && [ ${#missing_optional[@]} -eq 0 ]; then
  log "all ${#required[@]} required and ${#optional[@]} optional packages are installed"
  exit 0
fi

if [ "$check_only" = 1 ]; then
  [ ${#missing[@]} -gt 0 ] && log "missing: ${missing[*]}"
  [ ${#missing_optional[@]} -gt 0 ] && log "missing (optional): ${missing_optional[*]}"
  [ ${#missing[@]} -eq 0 ] && exit 0
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo --preserve-env=DEBIAN_FRONTEND)
else
  log "error: not root and sudo is missing; as root, run: apt-get install ${missing[*]} ${missing_optional[*]}" >&2
  exit 1
fi

log "missing: ${missing[*]:-(none)}; optional: ${missing_optional[*]:-(none)}"
log "running apt-get update"
"${SUDO[@]}" apt-get update -q

# An optional package is installed only where this distribution has it.
to_install=("${missing[@]}")
for pkg in "${missing_optional[@]}"; do
  candidate=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}')
  if [ -n "$candidate" ] && [ "$candidate" != "(none)" ]; then
    to_install+=("$pkg")
  else
    log "skipping $pkg: not available from the configured apt sources"
    if [ "$pkg" = rocm-device-libs ]; then
      log "  (the AMD target stays off; set VMGPU_ROCM_BITCODE_DIR or ROCM_PATH to use a ROCm install)"
    fi
  fi
done

if [ ${#to_install[@]} -gt 0 ]; then
  log "installing: ${to_install[*]}"
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${to_install[@]}"
fi
log "done"
