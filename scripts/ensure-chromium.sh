#!/bin/sh
# Installs Debian's chromium (and a small CJK font, so the report page's Chinese rule names render)
# for the report-page browser test, test/integration/report-page.test.ts. Does something only
# when one of them is missing and we are root with apt-get; otherwise it says why and exits 0,
# and the test then fails with a message naming this script.
set -eu

CHROMIUM=/usr/bin/chromium
packages=""

if [ ! -x "$CHROMIUM" ]; then
  packages="chromium"
fi
# fc-list comes with chromium's fontconfig; without it we cannot tell, so ask for the font too.
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; then
  packages="$packages fonts-wqy-microhei"
fi
if [ -z "$packages" ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-chromium: missing:$packages; not root, so not installing (run: sudo apt-get install$packages)" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: missing:$packages; apt-get is not available: install a Chromium at $CHROMIUM" >&2
  exit 0
fi

echo "ensure-chromium: installing$packages with apt-get (for the report-page test)..."
export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
apt-get update -qq
# shellcheck disable=SC2086 # the package list is meant to split
apt-get install -y -qq --no-install-recommends $packages >/dev/null
if [ -x "$CHROMIUM" ]; then
  echo "ensure-chromium: ready: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
else
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing" >&2
fi
exit 0
