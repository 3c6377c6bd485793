#!/usr/bin/env bash
# End-to-end check of the Teams side through Microsoft's local Teams client (Agents Playground), driven like a
# person in headless Chromium: say "help", let Megan request access over the API, type a reason on Alex's approval
# card and press Approve, then check over the API that the request is APPROVED and the card turned into the outcome.
# Needs: a built bot-app/target/clearance.jar, Node.js 20+ with npm, and Chromium (Debian: apt-get install chromium).
# Not part of ./mvnw verify (it needs a browser); run it by hand: scripts/teams-playground-e2e.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
chromium="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] || { echo "Chromium not found at $chromium (apt-get install chromium, or set CHROMIUM)" >&2; exit 2; }
[ -f bot-app/target/clearance.jar ] || { echo "build first: ./mvnw -q -DskipTests package" >&2; exit 2; }
cleanup() { kill "${bot:-}" "${playground:-}" 2>/dev/null || true; }
trap cleanup EXIT

TEAMS_ALLOW_UNAUTHENTICATED=true CLEARANCE_CHAT_LOG=true SERVER_PORT=3978 CLEARANCE_DATA_DIR="$work/data" \
  CLEARANCE_CONFIG=config/clearance.playground.yml CLEARANCE_API_TOKENS=playground-e2e-token \
  java -jar bot-app/target/clearance.jar > "$work/bot.log" 2>&1 &
bot=$!
(cd "$work" && npm install --silent --no-audit --no-fund @microsoft/m365agentsplayground@0.2.28 playwright-core@1.54.1 >/dev/null)
(cd "$work" && TEAMSAPPTESTER_BROWSER=none npx agentsplayground -e http://localhost:3978/api/messages -c msteams \
  --disable-telemetry > "$work/playground.log" 2>&1) &
playground=$!
for _ in $(seq 1 60); do
  curl -sf http://localhost:3978/actuator/health >/dev/null && curl -sf http://localhost:56150/ping >/dev/null && break
  sleep 1
done
cp scripts/playground-flow.js "$work/"
(cd "$work" && CHROMIUM="$chromium" SHOTS="$PWD/target/playground" node playground-flow.js)
echo "screenshots in target/playground/"
