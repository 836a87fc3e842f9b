#!/usr/bin/env bash
# `npm start` as root from a folder other users cannot enter, then `kill -TERM <npm>`:
#   1. the app starts (embedded PostgreSQL runs as the "postgres" user, which cannot reach the
#      checkout: binaries and cluster must have been moved where it can),
#   2. /sign-in answers 200 and the demo account signs in,
#   3. within 10 s of the SIGTERM to npm, no process of the app is left (npm, start.ts, next-server,
#      workers, PostgreSQL).
# Run by .ci/run after the e2e suite, whose `npm start` leaves a built .next: it is copied with its
# mtimes (cp -a), so start.ts's source fingerprint matches and nothing is rebuilt. Without one,
# start.ts builds first (minutes on 2 cores).
set -euo pipefail

if [[ "$(id -u)" != 0 ]]; then
  echo "start-as-root: SKIPPED (needs root: it checks the root-only PostgreSQL user handling)"
  exit 0
fi

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d)" # mode 700: other users (postgres) cannot enter it
APP="$WORK/app"
LOG="$WORK/npm-start.log"
started_at=$(date +%s)
NPM_PID=""

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Processes of this app: cwd or command line inside the test folder or the database's folder.
app_processes() {
  local pid cwd cmd
  for proc in /proc/[0-9]*; do
    pid="${proc#/proc/}"
    [[ "$pid" == "$$" || "$pid" == "$BASHPID" ]] && continue
    cwd="$(readlink "$proc/cwd" 2>/dev/null || true)"
    cmd="$( (tr '\0' ' ' <"$proc/cmdline") 2>/dev/null || true)"
    [[ -z "$cmd" ]] && continue # kernel thread or already gone
    for root in "$WORK" ${CLUSTER:+"$CLUSTER"}; do
      if [[ "$cwd" == "$root"* || "$cmd" == *"$root"* ]]; then
        echo "$pid $cmd"
        break
      fi
    done
  done
}

# A process and its descendants, as a tree (PostgreSQL's own helper processes left out).
process_tree() {
  ps -e -o pid=,ppid=,args= | awk -v root="$1" '
    { pid[NR] = $1; parent[NR] = $2; line[NR] = $0 }
    END {
      keep[root] = 1; depth[root] = 0
      for (changed = 1; changed;) {
        changed = 0
        for (i = 1; i <= NR; i++) if (!(pid[i] in keep) && (parent[i] in keep)) {
          keep[pid[i]] = 1; depth[pid[i]] = depth[parent[i]] + 1; changed = 1
        }
      }
      for (i = 1; i <= NR; i++) if ((pid[i] in keep) && line[i] !~ /postgres: /) {
        indent = ""; for (d = 0; d < depth[pid[i]]; d++) indent = indent "  "
        sub(/^ +/, "", line[i]); print indent line[i]
      }
    }'
}

cleanup() {
  local status=$?
  if [[ -n "$NPM_PID" ]] && kill -0 "$NPM_PID" 2>/dev/null; then kill -KILL "$NPM_PID" 2>/dev/null || true; fi
  app_processes | while read -r pid _; do kill -KILL "$pid" 2>/dev/null || true; done
  if [[ $status -ne 0 && -f "$LOG" ]]; then
    echo "---- npm start output (last 80 lines)"
    tail -n 80 "$LOG"
  fi
  # A relocated cluster (see src/server/database/embedded-postgres.ts) lives outside $WORK.
  if [[ -n "${CLUSTER:-}" && "$CLUSTER" != "$WORK"* ]]; then rm -rf "$CLUSTER"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== start-as-root: copying the checkout into $WORK (mode $(stat -c %a "$WORK"))"
mkdir "$APP"
# The working tree (tracked and untracked, not ignored), with mtimes.
(cd "$REPO" && git ls-files -z --cached --others --exclude-standard |
  tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -C "$APP" -xpf -
# Ignored but needed: the generated Prisma client (part of the build fingerprint) and the build.
[[ -d "$REPO/src/generated" ]] && cp -a "$REPO/src/generated" "$APP/src/"
if [[ -f "$REPO/.next/BUILD_ID" ]]; then
  cp -a "$REPO/.next" "$APP/.next"
else
  echo "   (no built .next in $REPO: npm start builds first, which takes minutes)"
fi
# A real folder, not a symlink (Turbopack refuses a node_modules outside the project): hard links
# when on the same file system, else a copy.
cp -al "$REPO/node_modules" "$APP/node_modules" 2>/dev/null || {
  rm -rf "$APP/node_modules"
  cp -a "$REPO/node_modules" "$APP/node_modules"
}

PORT="$(free_port)"
PG_PORT="$(free_port)"
echo "== start-as-root: npm start (PORT=$PORT EMBEDDED_PG_PORT=$PG_PORT DATA_DIR=data/start-as-root)"
# Not `cd` here: this shell's own cwd must stay outside $WORK (app_processes looks at cwds).
(cd "$APP" && PORT="$PORT" EMBEDDED_PG_PORT="$PG_PORT" DATA_DIR=data/start-as-root WORKERS=1 exec npm start) \
  >"$LOG" 2>&1 &
NPM_PID=$!

BASE="http://127.0.0.1:$PORT"
deadline=$(($(date +%s) + 900))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/sign-in" || true)" == 200 ]]; do
  if ! kill -0 "$NPM_PID" 2>/dev/null; then
    echo "FAIL: npm start exited before /sign-in answered"
    exit 1
  fi
  if (($(date +%s) > deadline)); then
    echo "FAIL: /sign-in did not answer 200 within 15 min"
    exit 1
  fi
  sleep 1
done
echo "   /sign-in answers 200 after $(($(date +%s) - started_at)) s"

DB_LINK="$APP/data/start-as-root/db"
CLUSTER="$(readlink -f "$DB_LINK")"
echo "   database files in $CLUSTER"

# The demo sign-in, as the sign-in form does it (next-auth credentials provider).
JAR="$WORK/cookies"
csrf="$(curl -s -c "$JAR" -b "$JAR" "$BASE/api/auth/csrf" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).csrfToken))')"
location="$(curl -s -o /dev/null -w '%{redirect_url}' -c "$JAR" -b "$JAR" \
  --data-urlencode "csrfToken=$csrf" --data-urlencode "email=demo@visual-ccc.local" \
  --data-urlencode "password=visual-ccc-demo" --data-urlencode "callbackUrl=$BASE/projects" \
  "$BASE/api/auth/callback/credentials")"
session="$(curl -s -b "$JAR" "$BASE/api/auth/session")"
if [[ "$location" == *error* || "$session" != *demo@visual-ccc.local* ]]; then
  echo "FAIL: demo sign-in (redirect: $location, session: $session)"
  exit 1
fi
echo "   demo sign-in works"

echo "   processes of the app before the signal:"
process_tree "$NPM_PID" | cut -c1-160 | sed 's/^/     /'
app_processes | cut -c1-160 | sed 's/^/     (app) /'

echo "== start-as-root: kill -TERM $NPM_PID (npm)"
kill -TERM "$NPM_PID"
signalled_at=$(date +%s%N)
while true; do
  left="$(app_processes)"
  elapsed_ms=$((($(date +%s%N) - signalled_at) / 1000000))
  [[ -z "$left" ]] && break
  if ((elapsed_ms > 10000)); then
    echo "FAIL: 10 s after SIGTERM, processes of the app remain:"
    echo "$left" | cut -c1-200
    exit 1
  fi
  sleep 0.2
done
wait "$NPM_PID" 2>/dev/null || true
echo "   all processes gone ${elapsed_ms} ms after the signal"
echo "== start-as-root: OK in $(($(date +%s) - started_at)) s"
