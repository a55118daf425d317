#!/usr/bin/env bash
# Debian's chromium for the browser check (tests/test_book.py), installed when this machine lets
# `make test` do it: as root, with apt-get (CI's case). Elsewhere the check is skipped, with the
# reason in pytest's summary. Never fails the build by itself.
set -u
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "tools/install_browser.sh: no chromium, and not root with apt-get: the browser check will be skipped"
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if apt-get install -y -q chromium >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; }; then
    echo "tools/install_browser.sh: installed $(chromium --version 2>/dev/null)"
else
    echo "tools/install_browser.sh: apt-get could not install chromium: the browser check will be skipped"
fi
