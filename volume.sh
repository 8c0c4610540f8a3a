#!/usr/bin/env bash
# A year of Smart's volume, and the app measured on it (README, "Volume and load"):
#   ./volume.sh generate [DATA_DIR] [--scale X]      fills a fresh DATA_DIR (default ./volume-data) with a Belgian year and the partners
#   ./volume.sh load [DATA_DIR] [--seconds N]        starts the app on DATA_DIR on loopback and drives it with wrk; stops by itself
# Server mode (README, "Moving up to server mode"): the same year in PostgreSQL, the app on it.
#   ./volume.sh generate [DATA_DIR] [--scale X] --postgresql CONN   generates into DATA_DIR (LiteDB), then moves it into the empty database CONN
#   ./volume.sh load [DATA_DIR] [--seconds N] --postgresql CONN     the app in server mode on CONN (DATA_DIR's volume.json names the pages' ids)
#   ./volume.sh load [DATA_DIR] [--seconds N] --postgresql CONN --instances 2   two apps on CONN, half the connections at each
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
  local seconds=5 postgresql="" instances=1
  while [ $# -gt 0 ]; do
    case $1 in
      --seconds) seconds=$2; shift 2 ;;
      --postgresql) postgresql=$2; shift 2 ;;
      --instances) instances=$2; shift 2 ;;
      *) echo "unknown option $1" >&2; exit 2 ;;
    esac
  done
  [ -f "$data_dir/smart.db" ] || { echo "No store in $data_dir: run ./volume.sh generate $data_dir first." >&2; exit 1; }
  case $instances in
    1) ;;
    2) [ -n "$postgresql" ] || { echo "--instances 2 is server mode only: give --postgresql CONN (LiteDB has one app per data directory)." >&2; exit 2; } ;;
    *) echo "--instances is 1 or 2" >&2; exit 2 ;;
  esac

  if ! command -v wrk >/dev/null; then
    echo "Installing Debian's wrk..."
    as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  fi
  build

  # Each instance on its own loopback port; instance 0 is the one a single-instance run measures.
  local -a ports=() bases=() startups=()
  pids=()
  local n
  for ((n = 0; n < instances; n++)); do
    ports[$n]=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    bases[$n]="http://127.0.0.1:${ports[$n]}"
  done
  work=$(mktemp -d)
  local base=${bases[0]}
  # Baseline files of the pages' sizes, served by the same app from its wwwroot; removed with the app.
  baseline_dir="$repo/Smart.Web/wwwroot/volume-baseline"
  mkdir -p "$baseline_dir"
  trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$work" "$baseline_dir"' EXIT

  # The rate limits (429 past 1,200 API calls a minute from one address) are off: wrk is one address measuring throughput.
  # Server mode: the app on the database, its data directory a fresh one of its own (DATA_DIR's LiteDB file stays closed).
  # Two instances: two such apps on the same database, each with its own data directory; the data-protection keys are the
  # database's, so a cookie signed by one opens the other's pages. The second starts once the first answers (its keys written).
  local mode="LiteDB"
  [ -n "$postgresql" ] && mode="PostgreSQL"
  start_app() { # instance -> pids[instance], startups[instance]
    local n=$1 started
    local -a store=("Smart__DataDirectory=$data_dir")
    if [ -n "$postgresql" ]; then
      store=("Smart__DataDirectory=$work/data-$n" "Smart__Storage=PostgreSql" "ConnectionStrings__Smart=$postgresql")
      # The marker tells the demo seeds the store is a generated year (they add nothing to it), as in DATA_DIR.
      mkdir -p "$work/data-$n" && cp "$data_dir/volume.json" "$work/data-$n/"
    fi
    # The app as ./run.sh starts it (Release, its own content root), on the generated store.
    started=$(date +%s%N)
    (cd Smart.Web && exec env "${store[@]}" Smart__RulesDirectory="$repo/rules" Smart__PluginsDirectory="$repo/artifacts/plugins" \
      Smart__RateLimits__ApiPerAddress=0 Smart__RateLimits__ApiPerKey=0 \
      dotnet bin/Release/net10.0/Smart.Web.dll --urls "${bases[$n]}" >"$work/app-$n.log" 2>&1) &
    pids[$n]=$!
    # dotnet exec keeps the subshell's pid: the app's own process.
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "${bases[$n]}/Account/SignIn")" = 200 ]; do
      kill -0 "${pids[$n]}" 2>/dev/null || { echo "The app stopped:"; cat "$work/app-$n.log"; exit 1; }
      [ $(( ($(date +%s%N) - started) / 1000000000 )) -lt 180 ] || { echo "No answer after 180 s"; exit 1; }
      sleep 0.05
    done
    startups[$n]=$(( ($(date +%s%N) - started) / 1000000 ))
  }
  for ((n = 0; n < instances; n++)); do
    start_app "$n"
    if [ "$instances" -eq 1 ]; then
      echo "Start-up: ${startups[0]} ms until the first 200 on /Account/SignIn (store: $mode, data: $data_dir)"
    else
      echo "Start-up of instance $((n + 1)) of $instances (port ${ports[$n]}): ${startups[$n]} ms until the first 200 on /Account/SignIn (store: $mode, data: $data_dir)"
    fi
  done

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
  on_instance() { [ "$instances" -eq 1 ] || printf ' on instance %d' $(( $1 + 1 )); }
  for ((n = 0; n < instances; n++)); do
    # The first instance's cookie on every instance: the key ring is shared.
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "${bases[$n]}/Members")" = 200 ] || { echo "Sign-in failed$(on_instance "$n")"; exit 1; }
  done

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
  local -a names=("member search" "invoice list, filtered, page 5" "invoice detail" "home page" "evaluation API (POST)" "unit ledger, busiest unit"
    "invoice detail, any invoice" "unit ledger, any unit" "a unit's invoices, any unit")
  local -a paths=("/Members?Search=marie" "/Invoices?Country=BE&Status=Paid&PageNumber=5" "/Invoices/Details/$invoice_id" "/" "/api/v1/evaluate/invoice"
    "/ProductionUnits/Ledger/$ledger_unit")
  # The last pages ask for a different document each time (report.lua's WRK_SPREAD: an id from 1 to the count), as staff do; the rows
  # above repeat one request. The static baseline has the size of the middle document's page.
  local invoices_count units_count
  read -r invoices_count units_count < <(python3 -c "import json; c = json.load(open('$data_dir/volume.json'))['counts']; print(c.get('invoices', 1), c.get('production units', 1))")
  local -a spreads=("" "" "" "" "" "" "/Invoices/Details/%d $invoices_count" "/ProductionUnits/Ledger/%d $units_count" "/Invoices?ProductionUnitId=%d $units_count")
  paths+=("/Invoices/Details/$invoice_id" "/ProductionUnits/Ledger/$((units_count / 2))" "/Invoices?ProductionUnitId=$((units_count / 2))")

  local -a sizes=()
  local i
  for i in "${!paths[@]}"; do
    local size status
    for ((n = instances - 1; n >= 0; n--)); do
      if [ "$i" -eq 4 ]; then
        read -r status size < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' -H 'X-Api-Key: demo-partner-key' -H 'Content-Type: application/json' \
          --data-binary "@$work/invoice.json" "${bases[$n]}${paths[$i]}")
      else
        read -r status size < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' -H "Cookie: $cookie" "${bases[$n]}${paths[$i]}")
      fi
      [ "$status" = 200 ] || echo "warning: ${names[$i]} answered $status$(on_instance "$n")"
    done
    sizes[$i]=$size
    head -c "$size" /dev/zero | tr '\0' 'x' >"$baseline_dir/page-$i.txt"
  done

  run_wrk() { # connections url [body] -> RESULT fields; $spread (a page's WRK_SPREAD) when set
    local connections=$1 url=$2 body=${3:-} threads=2
    [ "$connections" -eq 1 ] && threads=1
    WRK_BODY_FILE=$body WRK_HEADER_1=${h1:-} WRK_HEADER_2=${h2:-} WRK_SPREAD=${spread:-} \
      wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s -s tools/Smart.Volume/wrk/report.lua "$url" 2>&1 | awk '/^RESULT/ { $1 = ""; print }'
  }

  run_wrk_all() { # connections path [body] -> one RESULT line per instance, each driven by connections / instances at the same time
    local connections=$1 path=$2 body=${3:-} n
    local -a running=()
    for ((n = 0; n < instances; n++)); do
      run_wrk $((connections / instances)) "${bases[$n]}$path" "$body" >"$work/wrk-$n" &
      running+=($!)
    done
    wait "${running[@]}"
    for ((n = 0; n < instances; n++)); do cat "$work/wrk-$n"; done
  }

  settle() { # requests wrk gave up on may still be running in the app: wait (at most a minute) until it answers a static file at once
    local waited=0 n
    for ((n = 0; n < instances; n++)); do
      while [ "$(curl -s -o /dev/null -w '%{time_total}' "${bases[$n]}/volume-baseline/page-0.txt" | awk '{ print ($1 < 0.02) }')" != 1 ] && [ $waited -lt 600 ]; do
        sleep 0.1; waited=$((waited + 1))
      done
    done
  }

  # Connections in all; two instances get half each (one connection cannot be halved: 2 instead).
  local -a levels=(1 8 32)
  [ "$instances" -eq 2 ] && levels=(2 8 32)
  # The app's processor time per answer over a run (user and system, from /proc): what a page costs, whatever the machine's load.
  # At 32 connections on this machine's cores a page waits behind the others' processor time, so its p95 follows this cost.
  local clock_ticks
  clock_ticks=$(getconf CLK_TCK)
  with_cpu() { # run_wrk ... -> its RESULT fields and the app's processor ms per request
    local before after result
    before=$(awk '{ print $14 + $15 }' "/proc/${pids[0]}/stat")
    result=$("$@")
    after=$(awk '{ print $14 + $15 }' "/proc/${pids[0]}/stat")
    echo "$result $(awk -v t=$((after - before)) -v hz="$clock_ticks" -v n="$(echo "$result" | awk '{ print $7 }')" \
      'BEGIN { if (n > 0) printf "%.2f", t * 1000 / hz / n; else print "-" }')"
  }
  local results="$work/results"
  : >"$results"
  for i in "${!paths[@]}"; do
    local body="" h1="Cookie: $cookie" h2="" spread=${spreads[$i]}
    if [ "$i" -eq 4 ]; then body="$work/invoice.json"; h1="X-Api-Key: demo-partner-key"; h2="Content-Type: application/json"; fi
    # A second of warm-up (JIT, caches) that is not counted.
    seconds_saved=$seconds; seconds=1
    for ((n = 0; n < instances; n++)); do run_wrk 8 "${bases[$n]}${paths[$i]}" "$body" >/dev/null; done
    seconds=$seconds_saved
    for c in "${levels[@]}"; do
      if [ "$instances" -eq 1 ]; then
        echo "static $i $c $(h1="" h2="" spread="" with_cpu run_wrk "$c" "$base/volume-baseline/page-$i.txt")" >>"$results"
        echo "page $i $c $(with_cpu run_wrk "$c" "$base${paths[$i]}" "$body")" >>"$results"
      else
        h1="" h2="" spread="" run_wrk_all "$c" "/volume-baseline/page-$i.txt" | awk -v i="$i" -v c="$c" '{ print "static", i, c, NR - 1, $0 }' >>"$results"
        run_wrk_all "$c" "${paths[$i]}" "$body" | awk -v i="$i" -v c="$c" '{ print "page", i, c, NR - 1, $0 }' >>"$results"
      fi
      settle
    done
  done

  local -a hwms=() rsss=()
  for ((n = 0; n < instances; n++)); do
    hwms[$n]=$(awk '/VmHWM/ { printf "%.0f MiB", $2 / 1024 }' "/proc/${pids[$n]}/status")
    rsss[$n]=$(awk '/VmRSS/ { printf "%.0f MiB", $2 / 1024 }' "/proc/${pids[$n]}/status")
  done

  echo
  if [ "$instances" -eq 1 ]; then
    local hwm=${hwms[0]} rss=${rsss[0]} startup_ms=${startups[0]}
    printf '%-32s %5s %8s | %8s %8s %8s %9s %6s %6s %7s | %8s %8s %8s %9s %7s | %6s\n' \
      "endpoint" "conns" "bytes" "p50 ms" "p95 ms" "p99 ms" "req/s" "sock" "non2xx" "cpu ms" "st p50" "st p95" "st p99" "st req/s" "st cpu" "p95 x"
    for i in "${!paths[@]}"; do
      for c in "${levels[@]}"; do
        read -r p50 p95 p99 rps sock bad _ cpu _ < <(awk -v i="$i" -v c="$c" '$1 == "page" && $2 == i && $3 == c { print $4, $5, $6, $7, $8, $9, $10, $11 }' "$results")
        read -r s50 s95 s99 srps ssock sbad _ scpu _ < <(awk -v i="$i" -v c="$c" '$1 == "static" && $2 == i && $3 == c { print $4, $5, $6, $7, $8, $9, $10, $11 }' "$results")
        printf '%-32s %5s %8s | %8s %8s %8s %9s %6s %6s %7s | %8s %8s %8s %9s %7s | %6s\n' "${names[$i]}" "$c" "${sizes[$i]}" \
          "$p50" "$p95" "$p99" "$rps" "$sock" "$bad" "$cpu" "$s50" "$s95" "$s99" "$srps" "$scpu" \
          "$(awk -v a="$p95" -v b="$s95" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')"
      done
    done
    echo
    echo "(st = the static baseline: a file of the same size from the same app's wwwroot; p95 x = the endpoint's p95 over the baseline's; sock = socket errors;"
    echo " cpu ms = the app's processor time per answer during the run, user and system)"
    echo "Start-up ${startup_ms} ms; app memory: peak RSS (VmHWM) ${hwm}, RSS now (VmRSS) ${rss}"
    return
  fi

  # Two instances: per page and total connections, the requests/s of both together, each instance's p95, the errors and non-2xx of both.
  printf '%-32s %5s %8s | %8s %8s %9s %6s %6s | %9s %9s %9s | %6s\n' \
    "endpoint" "conns" "bytes" "p95 #1" "p95 #2" "req/s" "sock" "non2xx" "st p95 #1" "st p95 #2" "st req/s" "p95 x"
  local errors=0
  for i in "${!paths[@]}"; do
    for c in "${levels[@]}"; do
      # Fields of a result line: kind page conns instance p50 p95 p99 req/s sock non2xx requests.
      read -r p95a p95b rps sock bad < <(awk -v i="$i" -v c="$c" '$1 == "page" && $2 == i && $3 == c {
          p95[$4] = $6; rps += $8; sock += $9; bad += $10 } END { printf "%s %s %.1f %d %d\n", p95[0], p95[1], rps, sock, bad }' "$results")
      read -r s95a s95b srps _ < <(awk -v i="$i" -v c="$c" '$1 == "static" && $2 == i && $3 == c {
          p95[$4] = $6; rps += $8 } END { printf "%s %s %.1f\n", p95[0], p95[1], rps }' "$results")
      errors=$((errors + sock + bad))
      printf '%-32s %5s %8s | %8s %8s %9s %6s %6s | %9s %9s %9s | %6s\n' "${names[$i]}" "$c" "${sizes[$i]}" \
        "$p95a" "$p95b" "$rps" "$sock" "$bad" "$s95a" "$s95b" "$srps" \
        "$(awk -v a="$p95a" -v b="$p95b" -v x="$s95a" -v y="$s95b" 'BEGIN { p = a > b ? a : b; s = x > y ? x : y; if (s > 0) printf "%.1f", p / s; else print "-" }')"
    done
  done
  echo
  echo "(two instances on one database, each driven by half the connections at the same time; req/s = both together; #1, #2 = each instance's p95;"
  echo " st = the static baseline: a file of the same size from the same apps' wwwroot, driven the same way; p95 x = the slower instance's p95 over the"
  echo " slower baseline's; sock = socket errors, non2xx = answers outside 2xx, both instances together: $errors in all)"
  for ((n = 0; n < instances; n++)); do
    echo "Instance $((n + 1)) (port ${ports[$n]}): start-up ${startups[$n]} ms; app memory: peak RSS (VmHWM) ${hwms[$n]}, RSS now (VmRSS) ${rsss[$n]}"
  done
}

case $command in
  generate) generate "$@" ;;
  load) load "$@" ;;
  *) echo "usage: ./volume.sh generate [DATA_DIR] [--scale X] [--postgresql CONN] | ./volume.sh load [DATA_DIR] [--seconds N] [--postgresql CONN [--instances 2]]" >&2; exit 2 ;;
esac
