#!/usr/bin/env bash
# The store tests also run against PostgreSQL (tests/postgres_server.py starts a throwaway
# server on loopback); `make test` installs Debian's postgresql when it is missing (as root,
# or through sudo). The server is never started as a service: the tests start their own.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null; then
  exit 0
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
