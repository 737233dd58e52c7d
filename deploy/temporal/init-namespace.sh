#!/bin/sh
# Creates the namespace the service uses and registers the Keyword search
# attributes its exports are listed by. Runs in the temporalio/admin-tools
# image once the server is healthy. The web server registers the same
# attributes at start through the operator API; doing it here as well means
# workflows started right after a fresh setup already find them.
set -eu

ns="${NAMESPACE:-default}"
addr="${TEMPORAL_ADDRESS:-temporal:7233}"

tries=0
until temporal operator cluster health --address "$addr"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 30 ]; then
    echo "Temporal at $addr did not become healthy"
    exit 1
  fi
  sleep 2
done

temporal operator namespace describe --namespace "$ns" --address "$addr" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$ns" --retention 168h --address "$addr"

have=$(temporal operator search-attribute list --namespace "$ns" --address "$addr")
for name in LessonExportUser LessonExportLesson LessonExportFormat; do
  if printf '%s\n' "$have" | grep -qw "$name"; then
    echo "search attribute $name is registered"
  else
    temporal operator search-attribute create --namespace "$ns" --address "$addr" \
      --name "$name" --type Keyword
  fi
done
