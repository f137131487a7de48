#!/usr/bin/env bash
# Installs what Passerelle needs on a fresh Debian machine: Node packages
# (npm ci) and the Debian packages for Apertium (the offline engine), Chromium
# (review-app browser tests), xmllint and translate-toolkit (exchange-file
# checks), PostgreSQL (team-server tests start a throwaway cluster),
# php-symfony-translation (only for the official OASIS XLIFF 2.0 XSD
# it ships, which the exchange tests validate against). As root it installs them; otherwise it prints the exact command.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(apertium apertium-fr-es apertium-eng-spa apertium-fra-cat chromium libxml2-utils translate-toolkit php-symfony-translation postgresql po4a)
missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing Node packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
# npm ci compiles the CLI (prepare); compile again when node_modules was already
# there, so lib/ always matches src/ (esbuild: well under a second).
node scripts/compile.mjs
echo "setup: ready (node $(node --version), $(apertium -l | wc -l) Apertium modes)"
