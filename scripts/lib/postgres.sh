# Helpers to run a private PostgreSQL cluster: its own data folder, port and socket folder.
# initdb and postgres refuse to run as root, so as root they run as the `postgres` OS user.

pg_bindir() {
    local d
    d=$(pg_config --bindir 2>/dev/null || true)
    if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$d" ] || { echo "postgres: no PostgreSQL server binaries found" >&2; return 1; }
    echo "$d"
}

pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_start DATA_DIR SOCKET_DIR PORT: creates the cluster if needed and starts it.
pg_start() {
    local data=$1 sock=$2 port=$3 bin
    bin=$(pg_bindir)
    mkdir -p "$data" "$sock"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$data" "$sock"; fi
    chmod 700 "$data"
    if [ ! -f "$data/PG_VERSION" ]; then
        pg_as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    pg_as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
        -o "-p $port -k $sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=512MB" \
        start >/dev/null
}

pg_stop() {
    local data=$1 bin
    bin=$(pg_bindir)
    [ -f "$data/postmaster.pid" ] && pg_as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null || true
}

# pg_free_port START: the first port from START on that nothing listens on.
pg_free_port() {
    local port=$1
    while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "$port"
}
