#!/usr/bin/env bash
# Installs the Debian packages that tests and benchmarks use, only when something is missing.
set -euo pipefail
PKGS=(nginx wrk nghttp2-client libnginx-mod-http-modsecurity modsecurity-crs chromium redis-server)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # the packaged nginx service is not used: tests start their own nginx on loopback ports
  (systemctl disable --now nginx 2>/dev/null || service nginx stop 2>/dev/null || true) >/dev/null 2>&1
fi
