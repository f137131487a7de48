#!/usr/bin/env bash
# The main job: set up, translate every article in content/ to English and
# Spanish with Apertium (offline, no API key), show the status, build dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
./bin/passerelle.js translate --to en,es
./bin/passerelle.js status --to en,es
./bin/passerelle.js build --to en,es
