#!/usr/bin/env bash
# End to end against LocalStack (or ministack): deploy the stack with tt, call every route through API
# Gateway and the Lambda functions, import CSVs through S3 (a duplicate event, a malformed file, a
# dead letter), export past the inline limit, read it all back with tt, destroy the stack and check that
# nothing of it is left. Without a Docker engine, and no emulator already answering at
# LOCALSTACK_ENDPOINT, it prints "skipped: no Docker engine" and exits 0.
#
#   LOCALSTACK_AUTH_TOKEN=... bash localstack/e2e.sh
#   LOCALSTACK_VERSION=4.14.0 bash localstack/e2e.sh          # the last image that needs no token
#   LOCALSTACK_ENDPOINT=http://127.0.0.1:4567 bash localstack/e2e.sh   # an emulator already running
#
# E2E_STAGE (default staging: tt's stages are dev, staging and prod, and dev is the one people deploy
# by hand), E2E_HEALTH_SECONDS (180), E2E_IMPORT_SECONDS (120), E2E_DLQ_SECONDS (300: Lambda retries a
# failed asynchronous invocation after 1 and 2 more minutes), E2E_KEEP_LOCALSTACK=1 leaves LocalStack
# running afterwards (so does a LocalStack that was already running). See localstack/README.md.
set -euo pipefail

# Builtins only up to the Docker check (the skip must work with nothing on PATH).
script="${BASH_SOURCE[0]}"
[[ "$script" == */* ]] || script="./$script"
HERE="$(cd "${script%/*}" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"

# An emulator the caller already runs at LOCALSTACK_ENDPOINT (ministack, or a LocalStack of their own)
# is used as it is: no Docker needed, and it is left running.
RUNNING=''
if [[ -n "${LOCALSTACK_ENDPOINT:-}" ]] && command -v node >/dev/null 2>&1 &&
  node "$HERE/lib/aws.mjs" wait-health 0 >/dev/null 2>&1; then
  RUNNING=1
elif ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
  echo 'skipped: no Docker engine'
  exit 0
fi

STAGE="${E2E_STAGE:-staging}"
ENDPOINT="${LOCALSTACK_ENDPOINT:-http://localhost:4566}"
ORIGIN='http://localhost:3000'
export LOCALSTACK_ENDPOINT="$ENDPOINT" AWS_REGION="${AWS_REGION:-us-east-1}" NO_COLOR=1
WORK="$(mktemp -d "${TMPDIR:-/tmp}/tasktracker-e2e.XXXXXX")"
PASSED=0
DEPLOYED=''
STOP_LOCALSTACK=''

compose() { docker compose -f "$HERE/docker-compose.yml" "$@"; }
tt() { node "$ROOT/packages/cli/scripts/tt.mjs" --target localstack --stage "$STAGE" "$@"; }
pick() { node "$HERE/lib/json.mjs" "$@"; }
step() { printf '\n== %s\n' "$*"; }
pass() {
  PASSED=$((PASSED + ${2:-1}))
  printf '  ok    %s\n' "$1"
}
fail() {
  printf '  FAIL  %s\n' "$1" >&2
  exit 1
}

cleanup() {
  local status=$?
  if [[ -n "$DEPLOYED" && $status -ne 0 ]]; then
    echo 'cleaning up: tt destroy' >&2
    tt destroy --yes >/dev/null 2>&1 || true
  fi
  if [[ -n "$STOP_LOCALSTACK" ]]; then
    compose down --volumes --remove-orphans >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
  if [[ $status -ne 0 ]]; then
    echo "e2e: FAILED after ${PASSED} passed check(s)" >&2
  fi
}
trap cleanup EXIT

if [[ -n "$RUNNING" ]]; then
  step "the emulator at $ENDPOINT"
  node "$HERE/lib/aws.mjs" wait-health "${E2E_HEALTH_SECONDS:-180}" >"$WORK/health.json" ||
    fail "the emulator at $ENDPOINT is not healthy"
else
  # The pinned default, read from the compose file so the two never disagree.
  version="${LOCALSTACK_VERSION:-$(sed -n 's/.*LOCALSTACK_VERSION:-\([0-9][0-9.]*\)}.*/\1/p' "$HERE/docker-compose.yml")}"
  if [[ -z "${LOCALSTACK_AUTH_TOKEN:-}" && "$version" != [0-3].* && "$version" != 4.* ]]; then
    echo "LocalStack $version needs LOCALSTACK_AUTH_TOKEN (free at https://app.localstack.cloud);" >&2
    echo 'or run the last token-free image: LOCALSTACK_VERSION=4.14.0 bash localstack/e2e.sh' >&2
    exit 2
  fi

  step "LocalStack $version"
  # A LocalStack of this compose file that was already running is someone's: leave it running afterwards.
  if [[ -z "$(compose ps -q localstack 2>/dev/null)" && "${E2E_KEEP_LOCALSTACK:-0}" != 1 ]]; then
    STOP_LOCALSTACK=1
  fi
  compose up -d
  node "$HERE/lib/aws.mjs" wait-health "${E2E_HEALTH_SECONDS:-180}" >"$WORK/health.json" || {
    compose logs --tail 40 >&2 || true
    fail "LocalStack did not become healthy (docker compose -f localstack/docker-compose.yml logs)"
  }
fi
engine="$(pick "$WORK/health.json" engine) $(pick "$WORK/health.json" version)"
pass "healthy: $engine"

step "tt deploy --stage $STAGE"
# A stack already there is someone's work, which this script would destroy: only "not found" (exit 3) goes on.
info_status=0
tt info --json >"$WORK/info.json" 2>&1 || info_status=$?
case "$info_status" in
  3) ;;
  0) fail "tasktracker-$STAGE already exists there; tt destroy it first, or choose another E2E_STAGE" ;;
  *) fail "tt info failed (exit $info_status): $(cat "$WORK/info.json")" ;;
esac
DEPLOYED=1
echo "  deploying (minutes on LocalStack: every function's container starts on first use)"
# Exports over 4 KB go through S3, so the import below makes one that does.
tt deploy --yes --json --parameter "AllowedOrigins=$ORIGIN" --parameter ExportInlineLimitBytes=4096 \
  >"$WORK/deploy.json" 2>"$WORK/deploy.log" || {
  tail -n 30 "$WORK/deploy.log" >&2
  fail "tt deploy failed: $(cat "$WORK/deploy.json")"
}
[[ "$(pick "$WORK/deploy.json" result)" == deployed ]] || fail "deploy result: $(pick "$WORK/deploy.json" result)"
bucket="$(pick "$WORK/deploy.json" summary.bucket)"
log_table="$(pick "$WORK/deploy.json" summary.tables.invocationLog)"
[[ -n "$bucket" && -n "$log_table" ]] || fail "no bucket or invocation-log table in: $(cat "$WORK/deploy.json")"
# From the outputs (ApiUrl is https://<id>.execute-api...), else by the names the template gives.
api_url="$(pick "$WORK/deploy.json" summary.apiUrl)"
if [[ -n "$api_url" ]]; then
  api_id="$(node --input-type=module -e "import { apiIdOf } from '$HERE/lib/routes.mjs'; console.log(apiIdOf(process.argv[1]))" "$api_url")"
else
  api_id="$(node "$HERE/lib/aws.mjs" rest-api-id "tasktracker-$STAGE")"
fi
api_key_id="$(pick "$WORK/deploy.json" summary.apiKeyId)"
[[ -n "$api_key_id" ]] || api_key_id="$(node "$HERE/lib/aws.mjs" api-key-id "tasktracker-$STAGE-default")"
import_function="$(pick "$WORK/deploy.json" summary.functions.ImportsProcessFunction)"
dead_letters="$(pick "$WORK/deploy.json" summary.outputs.ImportsDeadLetterQueueUrl)"
[[ -n "$import_function" && -n "$dead_letters" ]] || fail "no import function or dead-letter queue in: $(cat "$WORK/deploy.json")"
pass "deployed: API $api_id, key $api_key_id, bucket $bucket ($(pick "$WORK/deploy.json" uploaded) artifacts uploaded)"

# The key's value lives in Secrets Manager (the template's ApiKeySecret); tt info reads it when asked.
tt info --show-api-key --json >"$WORK/key.json" 2>"$WORK/key.log" || fail "tt info --show-api-key failed: $(cat "$WORK/key.json" "$WORK/key.log")"
api_key="$(pick "$WORK/key.json" apiKey)"
[[ ${#api_key} -ge 20 ]] || fail "tt info --show-api-key gave no key value: $(cat "$WORK/key.json")"
pass 'API key value read from its secret (tt info --show-api-key)'

base="$(node --input-type=module -e "import { userRequestBase } from '$HERE/lib/routes.mjs'; console.log(userRequestBase(...process.argv.slice(1)))" "$ENDPOINT" "$api_id" "$STAGE")"
step "every route through $base"
# The handlers know the caller by requestContext.identity.apiKeyId: this key's user is its id.
node "$HERE/lib/routes.mjs" --endpoint "$ENDPOINT" --api-id "$api_id" --stage "$STAGE" \
  --api-key "$api_key" --origin "$ORIGIN" >"$WORK/routes.json" || true
passed_routes="$(pick "$WORK/routes.json" passed)"
failed_routes="$(pick "$WORK/routes.json" failed)"
[[ "$failed_routes" == 0 && "${passed_routes:-0}" -gt 0 ]] || fail "$failed_routes route check(s) failed (above)"
pass "$passed_routes route checks" "$passed_routes"

step "imports under imports/$api_key_id/ in $bucket"
# 40 valid rows (an export of them is over the 4 KB inline limit) and 2 rejected ones.
stamp="$(date +%s)"
# A space and a non-ASCII letter: S3 URL-encodes the key in its event, the handler decodes it.
good="imports/$api_key_id/e2e $stamp (café).csv"
broken="imports/$api_key_id/e2e-$stamp-broken.csv"
{
  echo 'title,priority,description'
  for n in $(seq -w 1 40); do echo "E2E import $n,high,\"row $n, quoted\""; done
  echo 'E2E rejected,urgent,no such priority'
  echo ',low,no title'
} >"$WORK/good.csv"
node "$HERE/lib/aws.mjs" put-object "$bucket" "$good" "$WORK/good.csv" >/dev/null
invocation() { node "$HERE/lib/aws.mjs" wait-invocation "$log_table" "$1" "${E2E_IMPORT_SECONDS:-120}" "${2:-1}"; }
invocation "$good" >"$WORK/invocation.json" ||
  fail "the import Lambda logged no invocation (tt logs imports-process --target localstack --stage $STAGE)"
[[ "$(pick "$WORK/invocation.json" status)" == imported && "$(pick "$WORK/invocation.json" imported)" == 40 &&
  "$(pick "$WORK/invocation.json" rejected)" == 2 ]] || fail "invocation log: $(cat "$WORK/invocation.json")"
pass "S3 notification → InvocationLog: 40 rows imported, 2 rejected, by $(pick "$WORK/invocation.json" functionName)"

node "$HERE/lib/imports.mjs" redeliver "$import_function" "$bucket" "$good" >/dev/null || fail 'redelivering the event failed'
invocation "$good" 2 >"$WORK/again.json" || fail 'the redelivered event logged no invocation'
[[ "$(pick "$WORK/again.json" imported)" == 0 && "$(pick "$WORK/again.json" duplicates)" == 40 ]] ||
  fail "the duplicate event imported again: $(cat "$WORK/again.json")"
pass 'the same event again: nothing imported twice (40 duplicates)'

# A file, not a row, is malformed when its header has no title column: nothing in it can be read.
printf 'name,priority\nno title column,high\n' >"$WORK/broken.csv"
node "$HERE/lib/aws.mjs" put-object "$bucket" "$broken" "$WORK/broken.csv" >/dev/null
invocation "$broken" >"$WORK/broken.json" || fail 'the malformed file logged no invocation'
[[ "$(pick "$WORK/broken.json" status)" == failed && "$(pick "$WORK/broken.json" error)" == *CSV* ]] ||
  fail "malformed file: $(cat "$WORK/broken.json")"
node "$HERE/lib/imports.mjs" redeliver "$import_function" "$bucket" "$broken" "$good" >"$WORK/both.json" ||
  fail 'an event with a malformed and a good file failed as a whole'
[[ "$(pick "$WORK/both.json" records.0.status)" == failed && "$(pick "$WORK/both.json" records.1.status)" == imported ]] ||
  fail "one event, two files: $(cat "$WORK/both.json")"
pass "a malformed file fails its own record only: $(pick "$WORK/broken.json" error)"

lost="imports/$api_key_id/e2e-$stamp-lost.csv"
node "$HERE/lib/imports.mjs" deliver-async "$import_function" "$bucket-gone" "$lost" >/dev/null
node "$HERE/lib/imports.mjs" dead-letter "$dead_letters" "$lost" "${E2E_DLQ_SECONDS:-300}" >"$WORK/dead.json" ||
  fail "a record that kept failing is not in the dead-letter queue $dead_letters"
pass 'a record that fails every retry lands in the dead-letter queue'

step "export past the inline limit, through S3"
node "$HERE/lib/export.mjs" --base "$base" --api-key "$api_key" --rows 40 --title-prefix 'E2E import' \
  >"$WORK/large-export.json" || fail 'the large export failed (above)'
pass "GET /tasks/export: a presigned link to $(pick "$WORK/large-export.json" bytes) bytes on $(pick "$WORK/large-export.json" host)"
pass "export job: 202, then GET /exports/{id} $(pick "$WORK/large-export.json" job.status) with $(pick "$WORK/large-export.json" job.rows) rows, the same file"

step "tt reads what the Lambdas wrote"
tt export --user "$api_key_id" --format csv >"$WORK/export.csv" || fail 'tt export failed'
[[ "$(grep -c '^[0-9A-Z]\{26\},E2E import ' "$WORK/export.csv")" == 40 ]] ||
  fail "tt export has not the 40 imported tasks: $(head -c 500 "$WORK/export.csv")"
pass "tt export: $(($(wc -l <"$WORK/export.csv") - 1)) task(s), the 40 imported ones among them"
tt tasks list --user "$api_key_id" --all --limit 100 --json >"$WORK/tasks.json" || fail 'tt tasks list failed'
[[ "$(node "$HERE/lib/tt-output.mjs" titled "$WORK/tasks.json" 'E2E import ')" == 40 ]] ||
  fail "tt tasks list: $(head -c 500 "$WORK/tasks.json")"
pass 'tt tasks list: the 40 imported tasks'
tt logs imports-process --since 30m --json >"$WORK/logs.jsonl" || fail 'tt logs failed'
node "$HERE/lib/tt-output.mjs" import-logs "$WORK/logs.jsonl" "$good" >"$WORK/logs.json"
[[ "$(pick "$WORK/logs.json" done)" -ge 3 && "$(pick "$WORK/logs.json" failed)" -ge 1 && "$(pick "$WORK/logs.json" typed)" == true ]] ||
  fail "tt logs imports-process: $(cat "$WORK/logs.json")"
pass "tt logs imports-process: each import of $good, and typed errors"

step "tt destroy --stage $STAGE"
# The check below must see what it looks for: before the destroy it finds the stack's resources.
if node "$HERE/lib/leftovers.mjs" "$STAGE" >"$WORK/before.json" 2>&1; then
  fail "the leftover check finds nothing of the deployed stack: $(cat "$WORK/before.json")"
fi
# The secret has a generated name: the check knows it by its description, and must find it here.
[[ -n "$(pick "$WORK/before.json" left.secrets.0)" ]] || fail "the leftover check misses the key's secret: $(cat "$WORK/before.json")"
tt destroy --yes --json >"$WORK/destroy.json" 2>"$WORK/destroy.log" || {
  tail -n 30 "$WORK/destroy.log" >&2
  fail "tt destroy failed: $(cat "$WORK/destroy.json")"
}
[[ "$(pick "$WORK/destroy.json" result)" == destroyed ]] || fail "destroy result: $(cat "$WORK/destroy.json")"
DEPLOYED=''
node "$HERE/lib/leftovers.mjs" "$STAGE" >"$WORK/leftovers.json" || fail "left behind: $(cat "$WORK/leftovers.json")"
pass "destroyed tasktracker-$STAGE: of its $(pick "$WORK/before.json" count) functions, tables, buckets, API, key and its secret, queue, topic, roles, alarms and log groups none is left"

printf '\ne2e: %d checks passed against %s\n' "$PASSED" "$engine"
