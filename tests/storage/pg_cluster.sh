#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the storage tests: `start DIR PORT` prints the URL to
# export as REDREPLY_TEST_DATABASE_URL; `stop DIR` stops it. Debian's postgresql package; initdb refuses
# root, so the cluster runs as the postgres user. Its log goes to a file: a server that inherits a pipe
# hangs whoever waits on that pipe.
set -euo pipefail
cmd=${1:?usage: pg_cluster.sh start DIR PORT | stop DIR}
dir=${2:?cluster directory}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
  start)
    port=${3:?port}
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$dir" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    fi
    as_pg "$bin/pg_ctl" -D "$dir" -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" \
      -l "$dir/server.log" -w start >/dev/null
    as_pg "$bin/psql" -h /tmp -p "$port" -U postgres -qc "ALTER USER postgres PASSWORD 'redreply'" >/dev/null
    as_pg "$bin/psql" -h /tmp -p "$port" -U postgres -qtc "SELECT 1 FROM pg_database WHERE datname='redreply'" \
      | grep -q 1 || as_pg "$bin/createdb" -h /tmp -p "$port" -U postgres redreply
    echo "postgresql+psycopg://postgres:redreply@127.0.0.1:$port/redreply"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
    ;;
  *) echo "usage: pg_cluster.sh start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
