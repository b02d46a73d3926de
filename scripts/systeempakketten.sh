#!/usr/bin/env bash
# Install the Debian packages the project needs, only those that are missing.
#   scripts/systeempakketten.sh run    -> what the app needs (PDF rendering, fonts, pdftoppm for previews)
#   scripts/systeempakketten.sh test   -> plus PostgreSQL server and Chromium
set -euo pipefail
doel=${1:-run}
pakketten=(libharfbuzz-subset0 fonts-crosextra-carlito fonts-dejavu-core poppler-utils)
if [ "$doel" = test ]; then
  pakketten+=(postgresql chromium)
fi

ontbrekend=()
for p in "${pakketten[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || ontbrekend+=("$p")
done
[ ${#ontbrekend[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Let op: installeer zelf deze pakketten: ${ontbrekend[*]}" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "Let op: geen root en geen sudo; installeer zelf: ${ontbrekend[*]}" >&2
    exit 0
  fi
fi
echo "Systeempakketten installeren: ${ontbrekend[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null
$sudo apt-get install -y -q --no-install-recommends "${ontbrekend[@]}" >/dev/null
