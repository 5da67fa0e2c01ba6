#!/usr/bin/env bash
# Runs every test: type check, unit tests, integration tests on SQLite and on PostgreSQL, and the
# browser tests. Prints one closing line "N passed, N failed". The PostgreSQL suite never skips
# quietly: if the server is unreachable the run fails (set MINBIAO_SKIP_PG=1 to skip it knowingly
# on a machine without PostgreSQL; CI never does). The same holds for the Redis tests of the shared
# rate limits (integration suite; MINBIAO_SKIP_REDIS=1 skips them knowingly, ignored when CI=true).
set -uo pipefail
cd "$(dirname "$0")/.."
out=.tmp/test-results
rm -rf "$out" && mkdir -p "$out"
fail=0
step() { printf '\n\033[1m== %s ==\033[0m\n' "$1"; }

step "type check (tsc --noEmit)"
if npx tsc --noEmit -p tsconfig.json; then echo "type check ok"; else echo "type check FAILED"; fail=1; fi

step "unit tests"
MINBIAO_TEST_DB=sqlite npx vitest run --project unit --reporter=default --reporter=json --outputFile="$out/unit.json" || fail=1

step "integration tests · SQLite"
MINBIAO_TEST_DB=sqlite npx vitest run --project integration --reporter=default --reporter=json --outputFile="$out/integration-sqlite.json" || fail=1
step "dashboard and report tests · SQLite without read threads (SQLITE_READ_THREADS=0)"
# The suite above reads the dashboards through the read threads (the default); this is the other setting.
MINBIAO_TEST_DB=sqlite MINBIAO_TEST_SQLITE_READ_THREADS=0 npx vitest run --project integration test/integration/metrics-api.test.ts test/integration/report.test.ts \
  --reporter=default --reporter=json --outputFile="$out/integration-sqlite-no-read-threads.json" || fail=1

step "integration tests · PostgreSQL"
if [ "${MINBIAO_SKIP_PG:-}" = "1" ] && [ "${CI:-}" != "true" ]; then
  echo "SKIPPED on request (MINBIAO_SKIP_PG=1)"
else
  pg_url=${MINBIAO_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}
  if node -e "const pg=require('pg');const c=new pg.Client({connectionString:process.argv[1]});c.connect().then(()=>c.end()).catch(e=>{console.error(e.message);process.exit(1)})" "$pg_url"; then
    MINBIAO_TEST_DB=postgres npx vitest run --project integration --reporter=default --reporter=json --outputFile="$out/integration-postgres.json" || fail=1
    step "dashboard and report tests · PostgreSQL with a read-only read pool (DATABASE_READ_URL)"
    # The same database through read-only sessions: a write sent through the read pool fails.
    MINBIAO_TEST_DB=postgres MINBIAO_TEST_READ_POOL=readonly npx vitest run --project integration test/integration/metrics-api.test.ts test/integration/report.test.ts \
      --reporter=default --reporter=json --outputFile="$out/integration-postgres-readpool.json" || fail=1
  else
    echo "PostgreSQL unreachable at $pg_url: start it (pg_ctlcluster ... main start) or set MINBIAO_SKIP_PG=1"
    fail=1
  fi
fi

if [ -d test/browser ] && ls test/browser/*.test.ts >/dev/null 2>&1; then
  step "browser tests (Chromium)"
  if [ -x /usr/bin/chromium ] || [ -n "${CHROMIUM_PATH:-}" ]; then
    npm run --silent build:web || fail=1
    npx vitest run --project browser --reporter=default --reporter=json --outputFile="$out/browser.json" || fail=1
  else
    echo "Chromium not found at /usr/bin/chromium (apt-get install -y chromium)"; fail=1
  fi
fi

node -e '
const fs=require("fs");let p=0,f=0,s=0;
for (const file of fs.readdirSync(process.argv[1])) {
  const r=JSON.parse(fs.readFileSync(process.argv[1]+"/"+file,"utf8"));
  p+=r.numPassedTests; f+=r.numFailedTests; s+=r.numPendingTests+(r.numTodoTests||0);
}
console.log(`\n${p} passed, ${f} failed` + (s?`, ${s} skipped`:""));
' "$out"
exit $fail
