#!/usr/bin/env bash
# The one command that runs every test on a fresh machine of this kind: installs what the tests need
# (Debian packages for the real servers and browser, npm packages), then lint, types, build, tests,
# the quick benchmark and the compose file check. Called by `npm test` and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }

step "system packages (chromium, influxdb, mosquitto, docker-compose)"
bash scripts/install-system-deps.sh

step "npm packages"
# better-sqlite3 compiles against the machine's own Node headers; never download a prebuilt binary.
if [ -d /usr/include/node ]; then export npm_config_nodedir=/usr; fi
export npm_config_build_from_source=true
# `npm install`, not `npm ci`: the registry reachable here serves biome's native binary only for this
# platform, so the lockfile cannot list the other platforms' optional packages and `npm ci` refuses it.
# With the committed lockfile `npm install` installs exactly the locked versions and changes nothing.
npm install --no-audit --no-fund

step "lint and format (biome)"
npx biome check .

step "types (tsc)"
npx tsc -p tsconfig.json --noEmit

step "build the dashboard (vite)"
npm run build:web

step "tests (vitest)"
mkdir -p .test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json "$@" || status=$?
# One plain closing line that any CI can read: "Tests: N passed, N failed".
node -e '
  const r = JSON.parse(require("fs").readFileSync(".test-results/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || echo "Tests: 0 passed, 1 failed"
exit $status
