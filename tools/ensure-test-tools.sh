#!/usr/bin/env bash
# What `make test` needs beyond Python: Chromium for the browser tests, npm for LHC-Forms (the
# outside renderer our FHIR Questionnaires are checked in) and Pango with HarfBuzz for the PDF report.
# Installed with apt-get when this runs as root on Debian or Ubuntu (a fresh CI machine);
# otherwise it stops and names the command to run, so nothing is silently skipped.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null || missing+=(npm)
if command -v dpkg >/dev/null; then
  dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
  # WeasyPrint warns at import when HarfBuzz's subsetting library is absent, and the test suite
  # turns warnings into errors (Chromium usually brings it along, but Pango alone does not).
  dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 || missing+=(libharfbuzz-subset0)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "make test: installing ${missing[*]} with apt-get (once; about 1-2 minutes)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "make test: the browser, FHIR-rendering and PDF tests need ${missing[*]}." >&2
echo "Install them once (as root): apt-get install ${missing[*]}" >&2
exit 1
