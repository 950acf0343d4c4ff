#!/usr/bin/env bash
# Runs the end-to-end cases prepared by prepare-e2e.sh on this machine's GPU
# with vm-gpu-exec (no LLVM needed). Usage, from the repository root:
#   build-device/run-e2e.sh [extra run_cases.py arguments]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SHIM="$HERE/vm-gpu-run-shim"
# run_cases.py drives a vm-gpu-run command line; map it to vm-gpu-exec on
# the case's precompiled artifact.
cat > "$SHIM" <<'SHIM'
#!/usr/bin/env bash
prog=$1; shift
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --entry|--device|--metrics-json) shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
artifact="$(dirname "$prog")/cuda.vmgpu"
if [ ! -f "$artifact" ]; then
  echo "error: the program was rejected at compile time:" >&2
  cat "$(dirname "$prog")/compile.log" >&2
  exit 1
fi
exec "$(dirname "$0")/bin/vm-gpu-exec" "$artifact" "${args[@]}"
SHIM
chmod +x "$SHIM"
python3 "$HERE/run_cases.py" --vm-gpu-run "$SHIM" --device cuda "$HERE/cases" "$@"
