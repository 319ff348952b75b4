#!/usr/bin/env bash
# End to end against LocalStack: start it, deploy the stack with tt, call every route through API
# Gateway and the Lambda functions, import a CSV through S3, export it with tt, destroy the stack, stop
# LocalStack. Without a Docker engine it prints "skipped: no Docker engine" and exits 0.
#
#   LOCALSTACK_AUTH_TOKEN=... bash localstack/e2e.sh
#   LOCALSTACK_VERSION=4.14.0 bash localstack/e2e.sh          # the last image that needs no token
#
# E2E_STAGE (default staging: tt's stages are dev, staging and prod, and dev is the one people deploy
# by hand), E2E_HEALTH_SECONDS (180), E2E_IMPORT_SECONDS (120), E2E_KEEP_LOCALSTACK=1 leaves LocalStack
# running afterwards (so does a LocalStack that was already running). See localstack/README.md.
set -euo pipefail

if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
  echo 'skipped: no Docker engine'
  exit 0
fi

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
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
pass "healthy: $(cat "$WORK/health.json")"

step "tt deploy --stage $STAGE"
# A stack already there is someone's work, which this script would destroy: only "not found" (exit 3) goes on.
info_status=0
tt info --json >"$WORK/info.json" 2>&1 || info_status=$?
case "$info_status" in
  3) ;;
  0) fail "tasktracker-$STAGE already exists on LocalStack; tt destroy it first, or choose another E2E_STAGE" ;;
  *) fail "tt info failed (exit $info_status): $(cat "$WORK/info.json")" ;;
esac
DEPLOYED=1
echo "  deploying (minutes on LocalStack: every function's container starts on first use)"
tt deploy --yes --json --parameter "AllowedOrigins=$ORIGIN" >"$WORK/deploy.json" 2>"$WORK/deploy.log" || {
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
pass "deployed: API $api_id, key $api_key_id, bucket $bucket ($(pick "$WORK/deploy.json" uploaded) artifacts uploaded)"

api_key="$(node "$HERE/lib/aws.mjs" api-key "$api_key_id")" || fail "GetApiKey $api_key_id failed"
pass 'API key value read (GetApiKey includeValue)'

step "every route through $ENDPOINT/restapis/$api_id/$STAGE/_user_request_"
# The handlers know the caller by requestContext.identity.apiKeyId: this key's user is its id.
node "$HERE/lib/routes.mjs" --endpoint "$ENDPOINT" --api-id "$api_id" --stage "$STAGE" \
  --api-key "$api_key" --origin "$ORIGIN" >"$WORK/routes.json" || true
passed_routes="$(pick "$WORK/routes.json" passed)"
failed_routes="$(pick "$WORK/routes.json" failed)"
[[ "$failed_routes" == 0 && "${passed_routes:-0}" -gt 0 ]] || fail "$failed_routes route check(s) failed (above)"
pass "$passed_routes route checks" "$passed_routes"

step "import: a CSV under imports/$api_key_id/ in $bucket"
object_key="imports/$api_key_id/e2e-$(date +%s).csv"
printf 'title,priority,description\nImported by e2e one,high,from S3\nImported by e2e two,low,"with, a comma"\n' >"$WORK/import.csv"
node "$HERE/lib/aws.mjs" put-object "$bucket" "$object_key" "$WORK/import.csv" >/dev/null
pass "uploaded $object_key"
node "$HERE/lib/aws.mjs" wait-invocation "$log_table" "$object_key" "${E2E_IMPORT_SECONDS:-120}" >"$WORK/invocation.json" ||
  fail "the import Lambda logged no invocation (tt logs imports-process --target localstack --stage $STAGE)"
[[ "$(pick "$WORK/invocation.json" status)" == imported && "$(pick "$WORK/invocation.json" imported)" == 2 ]] ||
  fail "invocation log: $(cat "$WORK/invocation.json")"
pass "InvocationLog: 2 rows imported by $(pick "$WORK/invocation.json" functionName)"

step "tt export --user $api_key_id"
tt export --user "$api_key_id" --format csv >"$WORK/export.csv" || fail 'tt export failed'
if ! grep -q 'Imported by e2e one' "$WORK/export.csv" || ! grep -q 'Imported by e2e two' "$WORK/export.csv"; then
  fail "the imported tasks are not in the export: $(head -c 500 "$WORK/export.csv")"
fi
pass "tt export: $(($(wc -l <"$WORK/export.csv") - 1)) task(s), both imported ones among them"

step "tt destroy --stage $STAGE"
tt destroy --yes --json >"$WORK/destroy.json" || fail "tt destroy failed: $(cat "$WORK/destroy.json")"
[[ "$(pick "$WORK/destroy.json" result)" == destroyed ]] || fail "destroy result: $(cat "$WORK/destroy.json")"
DEPLOYED=''
pass "destroyed tasktracker-$STAGE"

printf '\ne2e: %d checks passed against LocalStack %s\n' "$PASSED" "$version"
