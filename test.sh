#!/usr/bin/env bash
# Runs every test of Smart Intranet on a fresh machine: installs what the tests need, builds, tests.
set -euo pipefail
cd "$(dirname "$0")"

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
if [ -d tests/Smart.Browser.Tests ] && [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests..."
  # No TTY on CI: debconf must never stop to ask. Root (containers, CI images) needs no sudo, which may not exist there.
  as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# The e-invoice conformance test runs the official checks (tests/einvoicing/validate): an XSD checker, Java and Saxon-HE.
einvoicing=()
command -v xmllint >/dev/null || einvoicing+=(libxml2-utils)
command -v java >/dev/null || einvoicing+=(default-jre-headless)
[ -f /usr/share/java/Saxon-HE.jar ] || einvoicing+=(libsaxonhe-java)
# The invoice PDF is set in DejaVu Sans (the app's PDF writer finds no fonts by itself on Linux).
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || einvoicing+=(fonts-dejavu-core)
if [ ${#einvoicing[@]} -gt 0 ]; then
  echo "Installing Debian's ${einvoicing[*]} for the e-invoice conformance test..."
  as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${einvoicing[@]}" >/dev/null
fi

# The build installs the rule editor's code editor (Monaco) from the npm registry, as Smart.Web/package-lock.json pins it.
if ! command -v npm >/dev/null; then
  echo "Installing Debian's npm for the build..."
  as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
fi

# The server-mode tests run on a throwaway PostgreSQL cluster (installed from Debian when missing), stopped whatever happens.
postgres_dir=$(mktemp -d)
trap './postgres.sh stop "$postgres_dir"' EXIT
SMART_TEST_POSTGRES=$(./postgres.sh start "$postgres_dir")
export SMART_TEST_POSTGRES

# The house style (.editorconfig) holds everywhere: run `dotnet format whitespace --folder` to fix what this names.
dotnet format whitespace --folder --verify-no-changes

dotnet build Smart.Intranet.sln -c Release -nologo -v quiet
log=$(mktemp)
set +e
dotnet test Smart.Intranet.sln -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The intranet's tests once more with every app in server mode, each on a new PostgreSQL database: one suite proves both stores.
# Tests that choose their store themselves (the store contracts, LiteDB's own files and restarts) ran above: trait Store=Chosen.
SMART_TEST_STORAGE=PostgreSql dotnet test tests/Smart.Web.Tests -c Release --no-build -nologo --filter "Store!=Chosen" 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
set -e
# One closing line for the whole run, summed over the test projects.
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) } }
     END { printf "%d passed, %d failed\n", p, f }' FS='[ ,]+' "$log"
rm -f "$log"
exit "$status"
