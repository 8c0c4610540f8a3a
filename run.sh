#!/usr/bin/env bash
# Starts the intranet on the embedded default (LiteDB under ./data, seeded demo data). Extra arguments go to the app,
# e.g. ./run.sh --urls http://127.0.0.1:5080
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")"
# ./run.sh move-to-postgresql --from DATA_DIR --to CONNECTION (README, "Moving up to server mode"): DATA_DIR is the caller's path, made
# absolute here because dotnet run starts the app in Smart.Web/.
if [ "${1:-}" = move-to-postgresql ]; then
  moved=()
  while [ $# -gt 0 ]; do
    if [ "$1" = --from ] && [ $# -gt 1 ]; then moved+=("$1" "$(cd "$caller" && realpath -m "$2")"); shift 2; else moved+=("$1"); shift; fi
  done
  set -- "${moved[@]}"
fi
# The build installs the rule editor's code editor (Monaco) from the npm registry, as Smart.Web/package-lock.json pins it.
if ! command -v npm >/dev/null; then
  echo "Installing Debian's npm for the build..."
  as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
fi

# Issued invoices are also PDFs, set in DejaVu Sans.
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  echo "Installing Debian's fonts-dejavu-core for the invoice PDFs..."
  as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null
fi

# The solution build also builds the country plugins into artifacts/plugins, where the app discovers them.
dotnet build Smart.Intranet.sln -c Release -nologo -v quiet
export Smart__DataDirectory="${Smart__DataDirectory:-$PWD/data}"
exec dotnet run --no-build -c Release --project Smart.Web -- "$@"
