# Sourced by the device scripts: unpack_bundle BUNDLE.tar.xz unpacks the
# bundle into a new directory $work and writes $runner, a vm-gpu-run that
# never falls back to the CPU (so that a GPU failure is a failed case).
unpack_bundle() {
  work=$(mktemp -d)
  tar -C "$work" -xJf "$1" || return 1
  runner="$work/vm-gpu-run-cuda"
  cat >"$runner" <<WRAPPER
#!/usr/bin/env bash
exec "$work/vmgpu/bin/vm-gpu-run" "\$@" --no-fallback
WRAPPER
  chmod +x "$runner"
}
