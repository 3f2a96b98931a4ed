#!/bin/sh
# Generates ./configure from configure.ac and Makefile.in from Makefile.am.
set -e
cd "$(dirname "$0")"
mkdir -p build-aux m4
autoreconf --install --force --warnings=all
# automake ships the TAP driver the unit tests use; it is not copied by autoreconf.
for d in /usr/share/automake-*; do
	if [ -f "$d/tap-driver.sh" ]; then cp "$d/tap-driver.sh" build-aux/; break; fi
done
