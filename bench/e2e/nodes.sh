# Shared by bench/e2e/run.sh and bench/scale/run.sh (sourced, not run): real zonesync processes
# started with bin/zonesync, each with the benchmark-only arrival agent (ArrivalAgent, see
# src/bench/java/io/zonesync/bench), and the paced HTTP load (PacedHttpLoad).
# Needs: $repo (the checkout), $tmp (a scratch directory), NODE_OPTS (JVM options of every node).

# zs_prepare: builds what is missing, copies the jar and its libraries to $tmp (a build running
# meanwhile does not change the code under test), makes the agent jar; sets ZONESYNC_CLASSPATH,
# AGENT_JAR, LOAD (the command that runs PacedHttpLoad).
zs_prepare() {
    (cd "$repo" && { mvn -q -B -o package -DskipTests >/dev/null 2>&1 || mvn -q -B -o package -DskipTests; })
    (cd "$repo" && { mvn -q -B -o test-compile >/dev/null 2>&1 || mvn -q -B -o test-compile; })
    (cd "$repo" && mvn -q -B -o dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile="$tmp/test.cp" >/dev/null)
    local jar buddy
    jar=$(ls "$repo"/target/zonesync-*.jar | grep -v -e -sources -e -tests -e -javadoc | head -1)
    mkdir -p "$tmp/zs/lib" "$tmp/bench/io/zonesync/bench"
    cp "$jar" "$tmp/zs/zonesync.jar"
    cp "$repo"/target/lib/*.jar "$tmp/zs/lib/"
    cp "$repo"/target/test-classes/io/zonesync/bench/{ArrivalAgent,ArrivalLog,PacedHttpLoad}*.class \
        "$tmp/bench/io/zonesync/bench/"
    buddy=$(tr ':' '\n' <"$tmp/test.cp" | grep '/byte-buddy-[0-9.]*\.jar$' | head -1)
    [[ -n "$buddy" ]] || { echo "ERROR: byte-buddy is not on the test classpath" >&2; exit 1; }
    cp "$buddy" "$tmp/zs/byte-buddy.jar"
    printf 'Premain-Class: io.zonesync.bench.ArrivalAgent\n' >"$tmp/agent.mf"
    jar --create --file "$tmp/agent.jar" --manifest "$tmp/agent.mf" -C "$tmp/bench" io
    export ZONESYNC_CLASSPATH="$tmp/zs/zonesync.jar:$tmp/zs/lib/*:$tmp/zs/byte-buddy.jar"
    AGENT_JAR=$tmp/agent.jar
    LOAD="java -XX:+UseSerialGC -cp $tmp/bench io.zonesync.bench.PacedHttpLoad"
}

# zs_start DIR [EXTRA_JVM_OPTS]: starts the node configured in DIR/zonesync.conf; sets $started (the
# launcher's pid). Arrivals go to DIR/arrivals when the node stops.
zs_start() {
    local dir=$1
    JAVA_OPTS="${NODE_OPTS:-} ${2:-} -javaagent:$AGENT_JAR=$dir/arrivals -Dnet.bytebuddy.experimental=true" \
        "$repo/bin/zonesync" -p "$dir" -c "$dir/zonesync.conf" >"$dir/stderr.log" 2>&1 &
    started=$!
    ALL_PIDS+=("$started")
}

# zs_wait_api URL PID: until the API answers (the node is up), or the node exits
zs_wait_api() {
    for _ in $(seq 1 600); do
        curl -s -o /dev/null --max-time 1 "$1" && return 0
        kill -0 "$2" 2>/dev/null || { echo "ERROR: the node behind $1 exited" >&2; return 1; }
        sleep 0.1
    done
    echo "ERROR: $1 did not answer in 60 s" >&2
    return 1
}

# zs_wait_online URL N: until the node's zone_sync status shows N peers online
zs_wait_online() {
    local online=-1
    for _ in $(seq 1 1200); do
        online=$(curl -s --max-time 2 "$1/api/9/stream/zone_sync" | python3 -c \
            'import json,sys; print(json.load(sys.stdin)["status"]["nodes_online"])' 2>/dev/null || echo -1)
        [[ "$online" == "$2" ]] && return 0
        sleep 0.1
    done
    echo "ERROR: $1 sees $online peers online, not $2" >&2
    return 1
}

# zs_stop PID...: TERM, and wait until they are gone
zs_stop() {
    local p
    for p in "$@"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "$@"; do wait "$p" 2>/dev/null || true; done
}

# zs_java_pid LAUNCHER_PID: the JVM the launcher started
zs_java_pid() {
    pgrep -P "$1" | head -1
}

# zs_cleanup: stops whatever this script started (its own pids only)
zs_cleanup() {
    local p
    for p in "${ALL_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${ALL_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
ALL_PIDS=()
