#!/usr/bin/env bash
# A year of Smart's volume, and the app measured on it (README, "Volume and load"):
#   ./volume.sh generate [DATA_DIR] [--scale X]      fills a fresh DATA_DIR (default ./volume-data) with a Belgian year and the partners
#   ./volume.sh load [DATA_DIR] [--seconds N]        starts the app on DATA_DIR on loopback and drives it with wrk; stops by itself
# Server mode (README, "Moving up to server mode"): the same year in PostgreSQL, the app on it.
#   ./volume.sh generate [DATA_DIR] [--scale X] --postgresql CONN   generates into DATA_DIR (LiteDB), then moves it into the empty database CONN
#   ./volume.sh load [DATA_DIR] [--seconds N] --postgresql CONN     the app in server mode on CONN (DATA_DIR's volume.json names the pages' ids)
set -euo pipefail
cd "$(dirname "$0")"
repo=$PWD

command=${1:-}
[ $# -gt 0 ] && shift
data_dir=./volume-data
if [ $# -gt 0 ] && [[ $1 != --* ]]; then data_dir=$1; shift; fi
data_dir=$(realpath -m "$data_dir")

build() {
  # The tool's build also builds Smart.Web and the country plugins into artifacts/plugins.
  local log
  log=$(mktemp)
  # Another build in the same tree can hold obj/ files for a moment: one more try after a pause.
  if ! dotnet build tools/Smart.Volume -c Release -nologo -v quiet >"$log" 2>&1 && { sleep 20; ! dotnet build tools/Smart.Volume -c Release -nologo -v quiet >"$log" 2>&1; }; then
    grep -E 'error|rror\(s\)' "$log" | sort -u >&2; rm -f "$log"; exit 1
  fi
  rm -f "$log"
}

generate() {
  local postgresql="" status=0
  local -a passed=()
  while [ $# -gt 0 ]; do
    case $1 in
      --postgresql) postgresql=$2; shift 2 ;;
      *) passed+=("$1"); shift ;;
    esac
  done
  build
  dotnet tools/Smart.Volume/bin/Release/net10.0/Smart.Volume.dll generate "$data_dir" "${passed[@]}" || status=$?
  [ -z "$postgresql" ] && return $status
  # The generator writes LiteDB (its bulk loads are the LiteDB stores'); the documented move copies the year into PostgreSQL and
  # compares both sides per country and year (a difference fails the generation).
  local started moved=0 log
  started=$(date +%s%N)
  log=$(mktemp)
  (cd Smart.Web && dotnet bin/Release/net10.0/Smart.Web.dll move-to-postgresql --from "$data_dir" --to "$postgresql") >"$log" 2>&1 || moved=$?
  local took_ms=$(( ($(date +%s%N) - started) / 1000000 ))
  # The collections' copy times, the comparison's header and any line that differs (the full table: run the move with --compare-only).
  grep -vE ' ok$' "$log" || true
  rm -f "$log"
  echo "Move to PostgreSQL: ${took_ms} ms (copy and comparison, exit $moved)"
  [ "$moved" -eq 0 ] || exit 1
  return $status
}

load() {
  local seconds=5 postgresql=""
  while [ $# -gt 0 ]; do
    case $1 in
      --seconds) seconds=$2; shift 2 ;;
      --postgresql) postgresql=$2; shift 2 ;;
      *) echo "unknown option $1" >&2; exit 2 ;;
    esac
  done
  [ -f "$data_dir/smart.db" ] || { echo "No store in $data_dir: run ./volume.sh generate $data_dir first." >&2; exit 1; }

  if ! command -v wrk >/dev/null; then
    echo "Installing Debian's wrk..."
    as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  fi
  build

  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  work=$(mktemp -d); pid=""
  local base="http://127.0.0.1:$port"
  # Baseline files of the pages' sizes, served by the same app from its wwwroot; removed with the app.
  baseline_dir="$repo/Smart.Web/wwwroot/volume-baseline"
  mkdir -p "$baseline_dir"
  trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi; rm -rf "$work" "$baseline_dir"' EXIT

  # The app as ./run.sh starts it (Release, its own content root), on the generated store.
  local started
  started=$(date +%s%N)
  # The rate limits (429 past 1,200 API calls a minute from one address) are off: wrk is one address measuring throughput.
  # Server mode: the app on the database, its data directory a fresh one of its own (DATA_DIR's LiteDB file stays closed).
  local mode="LiteDB"
  local -a store=("Smart__DataDirectory=$data_dir")
  if [ -n "$postgresql" ]; then
    mode="PostgreSQL"; store=("Smart__DataDirectory=$work/data" "Smart__Storage=PostgreSql" "ConnectionStrings__Smart=$postgresql")
    # The marker tells the demo seeds the store is a generated year (they add nothing to it), as in DATA_DIR.
    mkdir -p "$work/data" && cp "$data_dir/volume.json" "$work/data/"
  fi
  (cd Smart.Web && exec env "${store[@]}" Smart__RulesDirectory="$repo/rules" Smart__PluginsDirectory="$repo/artifacts/plugins" \
    Smart__RateLimits__ApiPerAddress=0 Smart__RateLimits__ApiPerKey=0 \
    dotnet bin/Release/net10.0/Smart.Web.dll --urls "$base" >"$work/app.log" 2>&1) &
  pid=$!
  # dotnet exec keeps the subshell's pid: the app's own process.
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/Account/SignIn")" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { echo "The app stopped:"; cat "$work/app.log"; exit 1; }
    [ $(( ($(date +%s%N) - started) / 1000000000 )) -lt 180 ] || { echo "No answer after 180 s"; exit 1; }
    sleep 0.05
  done
  local startup_ms=$(( ($(date +%s%N) - started) / 1000000 ))
  echo "Start-up: ${startup_ms} ms until the first 200 on /Account/SignIn (store: $mode, data: $data_dir)"

  # Sign in as staff like a browser: the form's anti-forgery token and cookie, then the sign-in cookie.
  local jar="$work/cookies" token
  token=$(curl -s -c "$jar" "$base/Account/SignIn" | python3 -c 'import sys, html.parser
class P(html.parser.HTMLParser):
    token = ""
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") == "__RequestVerificationToken": P.token = a.get("value", "")
p = P(); p.feed(sys.stdin.read()); print(P.token)')
  curl -s -b "$jar" -c "$jar" -D "$work/sign-in.headers" -o /dev/null --data-urlencode "Data.Email=staff@smart.coop" --data-urlencode "Data.Password=Demo-2026!" \
    --data-urlencode "__RequestVerificationToken=$token" "$base/Account/SignIn"
  local cookie
  cookie=$(awk -F'\t' 'NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")
  # The sign-in cookie is Secure outside Development: curl keeps no Secure cookie from plain http, so it is taken from the answer.
  cookie="$cookie; $(grep -i '^set-cookie: \.Smart\.Intranet=' "$work/sign-in.headers" | head -1 | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*).*/\1/' | tr -d '\r')"
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/Members")" = 200 ] || { echo "Sign-in failed"; exit 1; }

  # What staff open most, on the generated year: an invoice in the middle of the id range, a common name, a filtered list page 5.
  local invoice_id=$(( $(python3 -c "import json; print(json.load(open('$data_dir/volume.json'))['counts'].get('invoices', 2))") / 2 ))
  cat >"$work/invoice.json" <<'JSON'
{ "country": "BE", "date": "2026-03-15", "issuer": "formateurs-associes",
  "client": { "kind": "business", "country": "FR", "vatNumber": "FR40303265045", "legalForm": "SAS" },
  "member": { "authorRightsYearToDate": 12000.00, "hasArtistAttestation": true },
  "lines": [ { "description": "Workshop", "category": "training", "quantity": 2, "unitPrice": 450.00 } ] }
JSON
  # The unit with the most ledger entries of the year (volume.json), for its budget ledger page.
  local ledger_unit=$(python3 -c "import json; print(json.load(open('$data_dir/volume.json')).get('busiestLedgerUnit', 1))")
  local -a names=("member search" "invoice list, filtered, page 5" "invoice detail" "home page" "evaluation API (POST)" "unit ledger, busiest unit")
  local -a paths=("/Members?Search=marie" "/Invoices?Country=BE&Status=Paid&PageNumber=5" "/Invoices/Details/$invoice_id" "/" "/api/v1/evaluate/invoice"
    "/ProductionUnits/Ledger/$ledger_unit")

  local -a sizes=()
  local i
  for i in "${!paths[@]}"; do
    local size status
    if [ "$i" -eq 4 ]; then
      read -r status size < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' -H 'X-Api-Key: demo-partner-key' -H 'Content-Type: application/json' \
        --data-binary "@$work/invoice.json" "$base${paths[$i]}")
    else
      read -r status size < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' -H "Cookie: $cookie" "$base${paths[$i]}")
    fi
    [ "$status" = 200 ] || echo "warning: ${names[$i]} answered $status"
    sizes[$i]=$size
    head -c "$size" /dev/zero | tr '\0' 'x' >"$baseline_dir/page-$i.txt"
  done

  run_wrk() { # connections url [body] -> RESULT fields
    local connections=$1 url=$2 body=${3:-} threads=2
    [ "$connections" -eq 1 ] && threads=1
    WRK_BODY_FILE=$body WRK_HEADER_1=${h1:-} WRK_HEADER_2=${h2:-} \
      wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s -s tools/Smart.Volume/wrk/report.lua "$url" 2>&1 | awk '/^RESULT/ { $1 = ""; print }'
  }

  settle() { # requests wrk gave up on may still be running in the app: wait (at most a minute) until it answers a static file at once
    local waited=0
    while [ "$(curl -s -o /dev/null -w '%{time_total}' "$base/volume-baseline/page-0.txt" | awk '{ print ($1 < 0.02) }')" != 1 ] && [ $waited -lt 600 ]; do
      sleep 0.1; waited=$((waited + 1))
    done
  }

  local results="$work/results"
  : >"$results"
  for i in "${!paths[@]}"; do
    local body="" h1="Cookie: $cookie" h2=""
    if [ "$i" -eq 4 ]; then body="$work/invoice.json"; h1="X-Api-Key: demo-partner-key"; h2="Content-Type: application/json"; fi
    # A second of warm-up (JIT, caches) that is not counted.
    seconds_saved=$seconds; seconds=1; run_wrk 8 "$base${paths[$i]}" "$body" >/dev/null; seconds=$seconds_saved
    for c in 1 8 32; do
      echo "static $i $c $(h1="" h2="" run_wrk "$c" "$base/volume-baseline/page-$i.txt")" >>"$results"
      echo "page $i $c $(run_wrk "$c" "$base${paths[$i]}" "$body")" >>"$results"
      settle
    done
  done

  local status_file=/proc/$pid/status
  local hwm rss
  hwm=$(awk '/VmHWM/ { printf "%.0f MiB", $2 / 1024 }' "$status_file")
  rss=$(awk '/VmRSS/ { printf "%.0f MiB", $2 / 1024 }' "$status_file")

  echo
  printf '%-32s %5s %8s | %8s %8s %8s %9s %6s %6s | %8s %8s %8s %9s | %6s\n' \
    "endpoint" "conns" "bytes" "p50 ms" "p95 ms" "p99 ms" "req/s" "sock" "non2xx" "st p50" "st p95" "st p99" "st req/s" "p95 x"
  for i in "${!paths[@]}"; do
    for c in 1 8 32; do
      read -r p50 p95 p99 rps sock bad _ < <(awk -v i="$i" -v c="$c" '$1 == "page" && $2 == i && $3 == c { print $4, $5, $6, $7, $8, $9, $10 }' "$results")
      read -r s50 s95 s99 srps ssock sbad _ < <(awk -v i="$i" -v c="$c" '$1 == "static" && $2 == i && $3 == c { print $4, $5, $6, $7, $8, $9, $10 }' "$results")
      printf '%-32s %5s %8s | %8s %8s %8s %9s %6s %6s | %8s %8s %8s %9s | %6s\n' "${names[$i]}" "$c" "${sizes[$i]}" \
        "$p50" "$p95" "$p99" "$rps" "$sock" "$bad" "$s50" "$s95" "$s99" "$srps" \
        "$(awk -v a="$p95" -v b="$s95" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')"
    done
  done
  echo
  echo "(st = the static baseline: a file of the same size from the same app's wwwroot; p95 x = the endpoint's p95 over the baseline's; sock = socket errors)"
  echo "Start-up ${startup_ms} ms; app memory: peak RSS (VmHWM) ${hwm}, RSS now (VmRSS) ${rss}"
}

case $command in
  generate) generate "$@" ;;
  load) load "$@" ;;
  *) echo "usage: ./volume.sh generate [DATA_DIR] [--scale X] [--postgresql CONN] | ./volume.sh load [DATA_DIR] [--seconds N] [--postgresql CONN]" >&2; exit 2 ;;
esac
