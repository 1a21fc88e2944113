#!/usr/bin/env bash
# Creates the memdrs topics that do not exist yet (existing ones are left as they are), with the Kafka admin
# client: every topic keyed by cluster id with the given partitions and replication; memdrs.control kept forever
# (not compacted: keyed by cluster, compaction would keep only each cluster's last instruction); retention 1 day for samples and host loads, 7 days for recommendations and balance reports, 30 days for migration events, 14 days for dead
# letters.
#
#   deploy/topics/create-topics.sh --bootstrap broker1:9092 --partitions 12 --replication 3 [--config FILE]
#
# --config FILE: a properties file whose kafka.* keys configure the admin client (TLS, SASL), e.g. the stream
# app's own. Runs `memdrs stream topics` from drs-stream/target/memdrs-stream.jar (built by the launcher when
# missing), or from MEMDRS_STREAM_CLASSPATH when set (a container with the jar elsewhere).
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/../.." && pwd)
java_cmd=${JAVA_HOME:+$JAVA_HOME/bin/}java

if [ -n "${MEMDRS_STREAM_CLASSPATH:-}" ]; then
  exec "$java_cmd" ${MEMDRS_JAVA_OPTS:-} -cp "$MEMDRS_STREAM_CLASSPATH" io.memdrs.stream.cli.StreamCommand topics "$@"
fi
exec "$root/deploy/bin/memdrs" stream topics "$@"
