#!/usr/bin/env bash
# A throwaway PostgreSQL cluster from Debian's packages, for the tests and for trying the server mode (README, "Server mode"):
#   ./postgres.sh start DIR    installs Debian's postgresql when missing, initdb in DIR, starts it on a free loopback port,
#                              creates the database "smart" and prints its connection string (also written to DIR/connection)
#   ./postgres.sh stop DIR     stops that cluster and deletes DIR
set -euo pipefail

command=${1:-}
dir=${2:-}
[ -n "$command" ] && [ -n "$dir" ] || { echo "usage: ./postgres.sh start|stop DIR" >&2; exit 2; }

bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$found" ] && echo "$found"
}

# PostgreSQL refuses to run as root: on a root shell (containers, CI) the cluster belongs to Debian's postgres user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $command in
  start)
    if [ -z "$(bin)" ]; then
      echo "Installing Debian's postgresql for the server-mode tests..." >&2
      as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
      "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
      # Only the server binaries: Debian's package would also start a system cluster, which nothing here uses.
      "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      "${as_root[@]}" sh -c 'command -v pg_lsclusters >/dev/null && pg_lsclusters -h | while read -r v c _; do pg_ctlcluster "$v" "$c" stop || true; done' || true
    fi
    pg=$(bin)
    mkdir -p "$dir"
    dir=$(realpath "$dir")
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    # A free port: the kernel picks one for a socket bound to port 0.
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
      || comm -23 <(seq 20000 60000) <(ss -Htan | awk '{ n = split($4, a, ":"); print a[n] }' | sort -u) | shuf -n 1)
    as_owner "$pg/initdb" -D "$dir/data" -U smart --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # Sockets in DIR, not /var/run/postgresql (absent when the package was never started); fsync off: throwaway data.
    as_owner "$pg/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$pg/createdb" -h 127.0.0.1 -p "$port" -U smart smart
    connection="Host=127.0.0.1;Port=$port;Username=smart;Database=smart"
    echo "$connection" >"$dir/connection"
    echo "$connection"
    ;;
  stop)
    [ -d "$dir/data" ] || exit 0
    pg=$(bin)
    as_owner "$pg/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: ./postgres.sh start|stop DIR" >&2; exit 2 ;;
esac
