#!/usr/bin/env bash
# Fuzzes for real, one fuzz test after the other, each for the maxDuration of its @FuzzTest (5 min).
# Usage: bench/fuzz/run.sh [FuzzTest ...]   (default: all of them)
# A finding fails the run and is written beside the seeds, e.g.
# src/test/resources/io/zonesync/node/ConfigFuzzTestInputs/compilesOrNamesTheLine/crash-<sha1>:
# fix the bug, then rename the file after what it shows; it is a regression test from then on.
# The inputs that grew coverage are kept in .cifuzz-corpus/ for the next run.
set -euo pipefail
cd "$(dirname "$0")/../.."
tests=("$@")
if [ ${#tests[@]} -eq 0 ]; then
    tests=(FrameDecoderFuzzTest ConfigFuzzTest HttpRequestFuzzTest ApiBodyFuzzTest NginxRegexFuzzTest)
fi
mvn -B -o -q test-compile
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -srm), $(nproc) cores, $(java -version 2>&1 | head -1)"
sanitizers=com.code_intelligence.jazzer.sanitizers
for t in "${tests[@]}"; do
    log="target/fuzz-$t.log"
    echo "## $t (log: $log)"
    # Connections are what the HTTP test makes and a proxy does, not a request forgery; regular
    # expressions come from the configuration, which is the operator's to write.
    disabled=$sanitizers.ServerSideRequestForgery
    if [ "$t" = ConfigFuzzTest ] || [ "$t" = NginxRegexFuzzTest ]; then
        disabled=$disabled:$sanitizers.RegexInjection
    fi
    # jazzer.hooks=true: the pom turns hooks, and with them coverage feedback, off for the seed runs.
    # Coverage is measured in zonesync and in Netty's codecs (the HTTP parser), not in all of Netty.
    if JAZZER_FUZZ=1 mvn -B -o test -Dtest="$t" -Djazzer.hooks=true -Djazzer.disabled_hooks="$disabled" \
            -Djazzer.instrumentation_includes='io.zonesync.**:io.netty.handler.codec.**' \
            -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
        grep -a -E '^(#[0-9]+|Done [0-9]+ runs)' "$log" | tail -1
    else
        grep -a -E '^(#[0-9]+|== Java Exception|Test unit written|\[ERROR\] +[A-Za-z]+FuzzTest)' "$log" | tail -4
        exit 1
    fi
done
