#!/bin/bash
# edge-freshness.sh DATABASE_URL [TRIALS]: how soon a committed hierarchy edge is answered from the cache.
# Needs a running arbor-server on $ARBOR_SERVER (default 127.0.0.1:50061) over that database and the release
# `arbor` CLI in ../.build/release. Each trial inserts an edge from the first user named Raj… to a VOLUNTEER outside
# that user's downline, polls `arbor descendants --count` (cache allowed 60 s stale) until the count moves, prints
# the time since commit, deletes the edge and waits for the next refresh.
set -euo pipefail
db=${1:?usage: edge-freshness.sh DATABASE_URL [TRIALS]}
trials=${2:-3}
bin=$(cd "$(dirname "$0")/../../.build/release" && pwd)
export ARBOR_SERVER=${ARBOR_SERVER:-127.0.0.1:50061}
count() { "$bin/arbor" descendants "$1" --count --format csv --max-staleness 60s | tail -1; }
root=$(psql "$db" -XAt -c "SELECT id FROM users WHERE name LIKE 'Raj%' ORDER BY name, id LIMIT 1")
for trial in $(seq 1 "$trials"); do
    child=$(psql "$db" -XAt -c "
        WITH RECURSIVE below(id) AS (
            SELECT '$root'::uuid UNION SELECT h.child_id FROM below JOIN user_hierarchy h ON h.parent_id = below.id)
        SELECT u.id FROM users u WHERE u.role = 'VOLUNTEER' AND u.id NOT IN (SELECT id FROM below)
        ORDER BY u.id OFFSET $trial LIMIT 1")
    before=$(count "$root")
    # Through stdin: psql interpolates :'variables' there (not in -c), quoting them as literals.
    psql "$db" -Xq -v parent="$root" -v child="$child" <<<"INSERT INTO user_hierarchy VALUES (:'parent', :'child')"
    committed=$(date +%s%N)
    while [ "$(count "$root")" = "$before" ]; do sleep 0.05; done
    seen=$(date +%s%N)
    echo "trial $trial: visible from the cache $(((seen - committed) / 1000000)) ms after commit"
    psql "$db" -Xq -v parent="$root" -v child="$child" \
        <<<"DELETE FROM user_hierarchy WHERE parent_id = :'parent' AND child_id = :'child'"
    sleep 3
done
