#!/usr/bin/env bash
# Fuzzes the live API from its own /openapi.json with Schemathesis: every route, authenticated,
# a bounded number of examples each. Fails on any 5xx or any answer the document does not allow.
# With FUZZ_ADMIN_DATABASE_URL (a server's maintenance database) it uses a fresh database there;
# without it, the embedded PostgreSQL that npm start uses. With FUZZ_JUNIT (a path), Schemathesis
# also writes a JUnit report there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

admin_url="${FUZZ_ADMIN_DATABASE_URL:-}"
port="${FUZZ_PORT:-3100}"
examples="${FUZZ_MAX_EXAMPLES:-10}"
venv="$root/.tools/fuzz-venv"

if ! "$venv/bin/schemathesis" --version >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tools/fuzz-requirements.txt
fi

database_url=""
if [ -n "$admin_url" ]; then
  # A database of its own, fresh each run, named after the port so that runs side by side (one
  # per worktree) do not drop each other's.
  database="connectprof_fuzz_$port"
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"
  database_url="${admin_url%/*}/$database"
fi

if [ -n "${FUZZ_JUNIT:-}" ]; then mkdir -p "$(dirname "$FUZZ_JUNIT")"; fi

log=$(mktemp)
# In a session of its own, so the whole process tree (tsx, node, the Temporal dev server) can be
# signalled at once: background jobs of a non-interactive shell ignore SIGINT, so use SIGTERM.
DATABASE_URL="$database_url" PORT="$port" LOG_LEVEL=warn CODEC_AUTH_TOKEN="fuzz-$(date +%s%N)" setsid npx tsx src/main.ts >"$log" 2>&1 &
service=$!
stop() {
  kill -TERM -- "-$service" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$service" 2>/dev/null || break; sleep 1; done
  kill -KILL -- "-$service" 2>/dev/null || true
  wait "$service" 2>/dev/null || true
  if [ -n "$database_url" ]; then psql "$admin_url" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" || true; fi
}
trap stop EXIT

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  if ! kill -0 "$service" 2>/dev/null; then cat "$log"; echo "fuzz: the service did not start" >&2; exit 1; fi
  sleep 1
done

api="http://127.0.0.1:$port"
email="fuzz-$(date +%s)@shop.example"
password='Fuzz!Pass1'
curl -sf -X POST "$api/v1/auth/register" -H 'content-type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}" >/dev/null
if [ -n "$database_url" ]; then
  DATABASE_URL="$database_url" npx tsx src/cli/account.ts grant-support "$email" >/dev/null
else
  DATABASE_URL="postgres://postgres:postgres@127.0.0.1:54329/connectprof" npx tsx src/cli/account.ts grant-support "$email" >/dev/null
fi
token=$(curl -sf -X POST "$api/v1/auth/login" -H 'content-type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

# Two cases Schemathesis does not generate, on every documented route: a body of 2,000 nested
# arrays (about 4 kB) and path parameters that are not valid percent-encoding. Each answer must
# be a 4xx problem+json, never a 5xx.
deep=$(python3 -c 'print("[" * 2000 + "]" * 2000)')
failures=0
while read -r method path; do
  has_body=false
  case "$method" in POST|PUT|PATCH|DELETE) has_body=true ;; esac
  values=('%ZZ' '%E0%A4%A' '%C0%AF' '9223372036854775808')
  case "$path" in *'{'*) ;; *) $has_body || continue; values=(none) ;; esac
  for value in "${values[@]}"; do
    target="${path//\{*\}/$value}"
    args=(-s -o /dev/null -w '%{http_code}' -X "$method" -H "Authorization: Bearer $token")
    $has_body && args+=(-H 'content-type: application/json' --data-binary "$deep")
    status=$(curl "${args[@]}" "$api$target")
    if [ "$status" -lt 400 ] || [ "$status" -ge 500 ]; then
      echo "fuzz: $method $target answered $status" >&2
      failures=$((failures + 1))
    fi
  done
done < <(curl -sf "$api/openapi.json" | python3 -c '
import json, sys
for path, methods in json.load(sys.stdin)["paths"].items():
    for method in methods:
        if path != "/v1/auth/logout" and not path.startswith("/codec"):
            print(method.upper(), path)')
if [ "$failures" -gt 0 ]; then echo "fuzz: $failures deep-nesting or percent-encoding cases failed" >&2; exit 1; fi
echo "fuzz: deep nesting and percent-encoding: every route answered 4xx"

# Logout, and ending a session by its id, would end the session the other operations use (the
# fuzzer reads that id from GET /v1/account/sessions and deletes it; every authenticated
# operation after it was a 401): the test suite covers both. The codec
# endpoints are left out because Schemathesis 4.32.5's coverage phase crashes on their
# record-of-strings schema (an internal KeyError, not an answer of ours); test/api covers them.
# Everything else is fuzzed.
"$venv/bin/schemathesis" run "$api/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
  --exclude-path /v1/auth/logout \
  --exclude-name 'DELETE /v1/account/sessions/{id}' \
  --exclude-path-regex '^/codec/' \
  --max-examples "$examples" \
  --seed 20261125 \
  --workers 2 \
  --request-timeout 30 \
  --suppress-health-check all \
  ${FUZZ_JUNIT:+--report junit --report-junit-path "$FUZZ_JUNIT"}
