#!/usr/bin/env bash
# wan-check: the WAN migration check on the Vagrant grid (infra/vagrant). Run it on the machine
# where `vagrant up` ran, after it finished; it works from any directory. See docs/vagrant.md.
#
#   1. grid     zincd runs on d1, d2 and d3, and every host knows all three (gossip converged)
#   2. wan      TCP round trip between the domains' zincd addresses is about 2 x the netem delay,
#               so the traffic really crosses the emulated WAN
#   3. counter  a counter job (zinc-testjob count) on d1-h1 migrates to d2-h1 across the WAN while
#               it counts; `zinc ps` on d1-h1 shows it on d2-h1; its output is exactly 1..N with
#               no gap and no repeat, and `zinc wait` returns its exit code
#   4. memory   a job holding BYTES of random memory (zinc-testjob mem) migrates d2-h1 -> d3-h1;
#               on SIGUSR1 it re-checksums its memory, and the checksum must match
# Prints a PASS/FAIL summary with timings; exits 0 only if every check passed (1 otherwise, 2 on
# a usage error). Jobs it started are killed on exit, pass or fail, or on Ctrl-C. (A SIGTERM sent
# to this script alone takes effect when the current step returns: bash runs traps between
# commands.)
#
# Each step is one `ssh` into a VM running a small bash function (the r_* functions below) as
# root; all waiting happens inside the VM. The local side needs only bash >= 3.2, ssh and vagrant
# (macOS works), no node or jq.
#
# --via lab runs the same check on a zinc-lab grid on this machine instead (as root), which is how
# the script itself is tested where VMs cannot boot:
#   zinc-lab up --name wan --domains 3 --hosts 3 --wan-delay 40 --wan-rate 20mbit
#   infra/vagrant/wan-check.sh --via lab --lab wan --delay-ms 40
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

usage() {
  cat <<'EOF'
Usage: infra/vagrant/wan-check.sh [options]

  --count N        counter job length in lines, 10 per second (default 300)
  --mem BYTES      memory of the checksum job (default 26214400, 25 MiB)
  --lazy           migrate the memory job with post-copy (zinc migrate --lazy)
  --delay-ms MS    expected one-way WAN delay (default: read from the VMs' /etc/zinc/wan.env;
                   with --via lab the RTT is only reported unless this is given)
  --via vagrant|lab   where the grid is (default vagrant)
  --lab NAME       zinc-lab name for --via lab (default $ZINC_LAB or "lab")
  --keep           leave the test jobs alone at the end (default: kill them)
  -h, --help       this text
EOF
}

COUNT=300
COUNT_EXIT=7 # a distinctive exit code, so that `zinc wait` is seen to report the job's own
MEM_BYTES=26214400
LAZY=''
DELAY_MS=''
VIA=vagrant
LAB=${ZINC_LAB:-lab}
KEEP=0
# value OPTION [VALUE]: the option's value, or a usage error.
value() {
  if (($# < 2)) || [[ $2 == -* ]]; then
    printf 'wan-check: %s needs a value\n' "$1" >&2
    exit 2
  fi
  printf '%s' "$2"
}
while (($# > 0)); do
  case $1 in
  --count) COUNT=$(value "$@"); shift ;;
  --mem) MEM_BYTES=$(value "$@"); shift ;;
  --lazy) LAZY=1 ;;
  --delay-ms) DELAY_MS=$(value "$@"); shift ;;
  --via) VIA=$(value "$@"); shift ;;
  --lab) LAB=$(value "$@"); shift ;;
  --keep) KEEP=1 ;;
  -h | --help) usage; exit 0 ;;
  *) printf 'wan-check: unknown argument %s\n' "$1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
bad_usage() {
  printf 'wan-check: %s\n' "$*" >&2
  exit 2
}
if ! [[ $COUNT =~ ^[1-9][0-9]*$ ]] || ((COUNT < 50)); then
  bad_usage "--count must be a whole number >= 50 (5 s of counting)"
fi
[[ $MEM_BYTES =~ ^[1-9][0-9]*$ ]] || bad_usage "--mem must be a number of bytes"
[[ -z $DELAY_MS || $DELAY_MS =~ ^[0-9]+$ ]] || bad_usage "--delay-ms must be a whole number"
[[ $VIA == vagrant || $VIA == lab ]] || bad_usage "--via must be vagrant or lab"

# The three hosts: VM (Vagrant machine) names and zinc host ids, in domain order.
VMS=(d1 d2 d3)
host_of() { printf '%s-h1' "$1"; }

# ---------------------------------------------------------------------------------------------
# Remote side. These functions are sent to a VM and run there as root, by bash 5 with zinc and
# node installed. They print results as plain lines (often key=value) for the local side to read.
# ---------------------------------------------------------------------------------------------

zc() { "${ZINC_CLI[@]}" "$@"; }

# r_js CODE [ARG...]: runs the JavaScript function body CODE with v = the JSON on stdin and
# a = [ARG...]; prints what it returns, one line per array element.
r_js() {
  node -e '
    let s = "";
    process.stdin.setEncoding("utf8").on("data", (d) => (s += d)).on("end", () => {
      const r = new Function("v", "a", process.argv[1])(JSON.parse(s), process.argv.slice(2));
      for (const l of [].concat(r ?? [])) console.log(String(l));
    });' "$@"
}

r_now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }

# r_grid WANT TIMEOUT_S: waits until this host's gossip view has WANT alive hosts; prints
# "host domain address status" per host it knows.
r_grid() {
  local want=$1 deadline=$((SECONDS + $2)) json out n
  while :; do
    if json=$(zc hosts --json 2>&1); then
      out=$(r_js 'return v.map((h) => [h.record.host, h.record.domain, h.record.address,
        String(h.status).replace(/^HOST_STATUS_/, "").toLowerCase()].join(" "))' <<<"$json")
    else
      out="zinc hosts: $json"
    fi
    n=$(grep -c ' alive$' <<<"$out" || true)
    if ((n >= want)); then
      printf '%s\n' "$out"
      return 0
    fi
    if ((SECONDS >= deadline)); then
      printf '%s\n' "$out" >&2
      return 1
    fi
    sleep 1
  done
}

# r_rtt HOST:PORT SAMPLES: TCP connect time (one round trip) to HOST:PORT, as "min median max" in
# ms. The first connection is a warm-up (ARP across the WAN) and is not counted.
r_rtt() {
  node -e '
    const net = require("node:net");
    const [hp, n] = process.argv.slice(1);
    const i = hp.lastIndexOf(":");
    const host = hp.slice(0, i), port = Number(hp.slice(i + 1));
    const once = () => new Promise((resolve, reject) => {
      const t0 = process.hrtime.bigint();
      const s = net.connect({ host, port });
      s.setTimeout(5000, () => { s.destroy(); reject(new Error("no answer from " + hp + " in 5 s")); });
      s.on("connect", () => { const ms = Number(process.hrtime.bigint() - t0) / 1e6; s.destroy(); resolve(ms); });
      s.on("error", reject);
    });
    (async () => {
      await once();
      const xs = [];
      for (let k = 0; k < Number(n); k++) { xs.push(await once()); await new Promise((r) => setTimeout(r, 100)); }
      xs.sort((a, b) => a - b);
      console.log([xs[0], xs[Math.floor(xs.length / 2)], xs[xs.length - 1]].map((x) => x.toFixed(1)).join(" "));
    })().catch((e) => { console.error(e.message); process.exit(1); });' "$1" "$2"
}

# r_wan_env: this VM's WAN settings (Vagrant only), as delay_ms=… rate=….
r_wan_env() {
  [[ -r /etc/zinc/wan.env ]] || return 0
  # shellcheck source=/dev/null
  . /etc/zinc/wan.env
  echo "delay_ms=${ZINC_WAN_DELAY_MS:-}"
  echo "rate=${ZINC_WAN_RATE:-}"
}

# r_submit HOST ARGV...: submits ARGV to run on HOST; prints the GPID.
r_submit() {
  local host=$1
  shift
  zc submit --host "$host" -- "$@"
}

# r_wait_line GPID REGEX TIMEOUT_S: waits until the job's stdout has a line matching REGEX;
# prints that line.
r_wait_line() {
  local deadline=$((SECONDS + $3)) line
  while :; do
    line=$(zc logs "$1" 2>/dev/null | grep -E -m1 -- "$2" || true)
    if [[ -n $line ]]; then
      printf '%s\n' "$line"
      return 0
    fi
    if ((SECONDS >= deadline)); then
      echo "no line matching /$2/ in the output of $1 after $3 s; last lines:" >&2
      zc logs "$1" 2>&1 | tail -n 3 >&2 || true
      return 1
    fi
    sleep 0.2
  done
}

# r_migrate GPID TO [LAZY]: zinc migrate; prints its summary as key=value lines plus wall_ms, the
# time the CLI took as seen from here.
r_migrate() {
  local err json t0 t1 rc=0
  err=$(mktemp)
  t0=$(r_now_us)
  json=$(zc migrate "$1" --to "$2" ${3:+--lazy} --json 2>"$err") || rc=$?
  t1=$(r_now_us)
  if ((rc != 0)); then
    cat "$err" >&2
    rm -f "$err"
    return "$rc"
  fi
  rm -f "$err"
  r_js 'return ["outcome", "from", "to", "reason", "bytes", "freezeMs", "dumpMs", "transferMs", "restoreMs",
    "downtimeMs", "totalMs"].map((k) => k + "=" + (v[k] ?? ""))' <<<"$json"
  echo "wall_ms=$(((t1 - t0) / 1000))"
}

# r_where GPID: where this host's zinc says the job is: host=… state=… (state "absent" if unknown).
r_where() {
  zc ps -a --json | r_js 'const j = v.find((x) => x.gpid === a[0]);
    return j ? ["host=" + j.host, "state=" + String(j.state).replace(/^JOB_STATE_/, "").toLowerCase()]
             : ["host=", "state=absent"]' "$1"
}

# r_wait GPID TIMEOUT_S: zinc wait; prints code=<its exit status> (124: timed out).
r_wait() {
  local rc=0
  timeout "$2" "${ZINC_CLI[@]}" wait "$1" >/dev/null || rc=$?
  echo "code=$rc"
}

r_logs() { zc logs "$1"; }
r_signal() { zc kill --signal "$2" "$1" >/dev/null; }
r_kill() { zc kill "$1" >/dev/null 2>&1 || true; }

# r_diag: what an operator would look at first when a check fails on this host.
r_diag() {
  echo "--- zinc ps -a"
  zc ps -a 2>&1 | tail -n 8 || true
  if command -v zinc-wan >/dev/null; then
    echo "--- zinc-wan show"
    zinc-wan show 2>&1 || true
  fi
  if systemctl cat zincd.service >/dev/null 2>&1; then
    echo "--- journalctl -u zincd (last 15 lines)"
    journalctl -u zincd.service -n 15 --no-pager -o cat 2>&1 || true
  fi
}

# ---------------------------------------------------------------------------------------------
# Local side.
# ---------------------------------------------------------------------------------------------

TMP=$(mktemp -d "${TMPDIR:-/tmp}/zinc-wan-check.XXXXXX")
GPIDS=() # "gpid vm" of every job started here, killed at exit
cleanup() {
  local rc=$? entry
  trap - EXIT INT TERM
  ((rc < 128)) || printf '\nwan-check: interrupted; killing the test jobs\n' >&2
  if ((KEEP == 0)) && ((${#GPIDS[@]} > 0)); then
    for entry in "${GPIDS[@]}"; do
      on "${entry#* }" r_kill "${entry%% *}" >/dev/null 2>&1 || true
    done
  fi
  rm -rf -- "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ $VIA == vagrant ]]; then
  command -v vagrant >/dev/null || bad_usage "vagrant is not on PATH (install it, or use --via lab)"
  command -v ssh >/dev/null || bad_usage "ssh is not on PATH"
  ZINC_CLI_REMOTE=(zinc)
  TESTJOB=/opt/zinc/app/build/zinc-testjob
  cd "$HERE" # where the Vagrantfile is
  status=$(vagrant status --machine-readable 2>&1) || {
    printf 'wan-check: "vagrant status" failed in %s:\n%s\n' "$HERE" "$status" >&2
    exit 1
  }
  for vm in "${VMS[@]}"; do
    state=$(awk -F, -v vm="$vm" '$2 == vm && $3 == "state" { print $4; exit }' <<<"$status")
    [[ $state == running ]] || {
      printf 'wan-check: VM %s is %s, not running; run "vagrant up" in %s first\n' "$vm" "${state:-unknown}" "$HERE" >&2
      exit 1
    }
  done
  # One ssh configuration for all calls: plain ssh is much faster than `vagrant ssh` per step,
  # and passes stdin and stdout through untouched (no tty).
  vagrant ssh-config "${VMS[@]}" >"$TMP/ssh_config"
else
  [[ $(id -u) == 0 ]] || bad_usage "--via lab needs root (zinc-lab exec)"
  [[ -f $REPO/dist/cli/main.js ]] || bad_usage "build zinc first (node scripts/build.mjs)"
  ZINC_CLI_REMOTE=(node "$REPO/dist/cli/main.js")
  TESTJOB=$REPO/build/zinc-testjob
fi

# on VM FUNC ARGS...: runs the remote function FUNC with ARGS inside VM, as root. The script sent
# holds the CLI's path and every r_* function, so nothing has to be installed for the check.
remote_script() {
  printf 'set -euo pipefail\nexport LC_ALL=C\n'
  printf 'ZINC_CLI=('
  printf '%q ' "${ZINC_CLI_REMOTE[@]}"
  printf ')\n'
  declare -f zc
  # Function names have no spaces, so word splitting is what is wanted here.
  # shellcheck disable=SC2046
  declare -f $(declare -F | awk '$3 ~ /^r_/ { print $3 }')
  printf '%q ' "$@"
  printf '\n'
}
on() {
  local vm=$1
  shift
  if [[ $VIA == vagrant ]]; then
    remote_script "$@" | ssh -F "$TMP/ssh_config" -o BatchMode=yes -o LogLevel=ERROR -o ConnectTimeout=20 "$vm" sudo bash -s
  else
    remote_script "$@" | node "$REPO/dist/infra/lab/main.js" exec --name "$LAB" "$(host_of "$vm")" -- bash -s
  fi
}

# kv KEY: the value of KEY=… in the text on stdin.
kv() { sed -n "s/^$1=//p" | head -n 1; }
# ms_to_s MS: "1234.5" -> "1.23 s"
secs() { awk -v ms="$1" 'BEGIN { printf "%.2f s", ms / 1000 }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

NAMES=()
RESULTS=()
DETAILS=()
TIMES=()
DETAIL=''
fail() {
  DETAIL=$1
  return 1
}
# show_err FILE: the first lines a remote step wrote to stderr, on one line.
show_err() { tr '\n' ' ' <"$1" | cut -c1-300; }

run_check() { # NAME FUNCTION
  local name=$1 fn=$2 t0=$SECONDS result=PASS vm
  printf 'wan-check: %-8s ...\n' "$name"
  DETAIL=''
  "$fn" || result=FAIL
  NAMES+=("$name")
  RESULTS+=("$result")
  DETAILS+=("$DETAIL")
  TIMES+=("$((SECONDS - t0)) s")
  printf 'wan-check: %-8s %s  %s\n' "$name" "$result" "$DETAIL"
  if [[ $result == FAIL ]]; then
    for vm in "${VMS[@]}"; do
      printf -- '--- diagnostics from %s\n' "$vm" >&2
      on "$vm" r_diag >&2 2>&1 || true
    done
  fi
  [[ $result == PASS ]]
}

ADDRS=() # zincd address of d1, d2, d3 as gossiped
check_grid() {
  local vm i view
  for vm in "${VMS[@]}"; do
    view=$(on "$vm" r_grid 3 60 2>"$TMP/err") ||
      fail "$(host_of "$vm") does not see 3 alive hosts after 60 s: $(show_err "$TMP/err")" || return 1
  done
  # The last view (d3's) has every address.
  for i in 0 1 2; do
    ADDRS[i]=$(awk -v h="$(host_of "${VMS[i]}")" '$1 == h { print $3 }' <<<"$view")
    [[ -n ${ADDRS[i]} ]] || fail "$(host_of "${VMS[i]}") is missing from the gossip view" || return 1
  done
  DETAIL="d1-h1, d2-h1, d3-h1 alive and known to each other (${ADDRS[*]})"
}

check_wan() {
  local pairs=("0 1" "1 2" "0 2") p a b r median lo hi hint ok=1 out=()
  if [[ -z $DELAY_MS && $VIA == vagrant ]]; then
    DELAY_MS=$(on d1 r_wan_env 2>"$TMP/err" | kv delay_ms)
    [[ -n $DELAY_MS ]] ||
      fail "cannot read the WAN delay from d1's /etc/zinc/wan.env; run \`vagrant provision --provision-with wan\` (or pass --delay-ms)" || return 1
  fi
  if [[ -n $DELAY_MS ]]; then
    lo=$(awk -v d="$DELAY_MS" 'BEGIN { print 2 * d * 0.9 - 1 }')
    hi=$(awk -v d="$DELAY_MS" 'BEGIN { print 2 * d * 1.5 + 10 }')
  fi
  for p in "${pairs[@]}"; do
    a=${p% *} b=${p#* }
    r=$(on "${VMS[a]}" r_rtt "${ADDRS[b]}" 5 2>"$TMP/err") ||
      fail "no TCP connection ${VMS[a]} -> ${VMS[b]} (${ADDRS[b]}): $(show_err "$TMP/err")" || return 1
    median=$(awk '{ print $2 }' <<<"$r")
    out+=("${VMS[a]}->${VMS[b]} ${median} ms")
    if [[ -n $DELAY_MS ]] && ! awk -v m="$median" -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(m >= lo && m <= hi) }'; then
      ok=0
    fi
  done
  DETAIL="TCP RTT (median of 5) ${out[*]}"
  if [[ -z $DELAY_MS ]]; then
    DETAIL+="; no expected delay given (--delay-ms), not compared"
  elif ((ok)); then
    DETAIL+="; expected ~$((2 * DELAY_MS)) ms (2 x ${DELAY_MS} ms WAN delay)"
  else
    if [[ $VIA == vagrant ]]; then hint="is netem on? (vagrant ssh d1 -c 'sudo zinc-wan show')"; else hint="zinc-lab status --name $LAB"; fi
    fail "$DETAIL; expected $lo..$hi ms for 2 x ${DELAY_MS} ms: $hint" || return 1
  fi
}

summary_of() { # migrate key=value text -> "A -> B in X (downtime Y, Z)"
  printf '%s -> %s in %s (zinc: total %s, downtime %s, %s)' "$(kv from <<<"$1")" "$(kv to <<<"$1")" \
    "$(secs "$(kv wall_ms <<<"$1")")" "$(secs "$(kv totalMs <<<"$1")")" \
    "$(secs "$(kv downtimeMs <<<"$1")")" "$(mib "$(kv bytes <<<"$1")")"
}

check_counter() {
  local gpid m where there w logs bad
  gpid=$(on d1 r_submit d1-h1 "$TESTJOB" count "$COUNT" "$COUNT_EXIT" 2>"$TMP/err") ||
    fail "zinc submit on d1-h1 failed: $(show_err "$TMP/err")" || return 1
  GPIDS+=("$gpid d1")
  on d1 r_wait_line "$gpid" '^10$' 30 >/dev/null 2>"$TMP/err" ||
    fail "$gpid did not count to 10 within 30 s: $(show_err "$TMP/err")" || return 1
  m=$(on d1 r_migrate "$gpid" d2-h1 '' 2>"$TMP/err") ||
    fail "zinc migrate $gpid --to d2-h1 failed: $(show_err "$TMP/err") (if the job ended first, raise --count)" || return 1
  [[ $(kv outcome <<<"$m") == migrated && $(kv to <<<"$m") == d2-h1 ]] ||
    fail "zinc migrate $gpid: outcome $(kv outcome <<<"$m") to $(kv to <<<"$m"): $(kv reason <<<"$m")" || return 1
  where=$(on d1 r_where "$gpid")
  [[ $(kv host <<<"$where") == d2-h1 ]] ||
    fail "after the migration, zinc ps on d1-h1 says $gpid is on '$(kv host <<<"$where")' ($(kv state <<<"$where")), not d2-h1" || return 1
  there=$(on d2 r_where "$gpid")
  [[ $(kv host <<<"$there") == d2-h1 && $(kv state <<<"$there") == running ]] ||
    fail "zinc ps on d2-h1 shows $gpid as $(kv state <<<"$there") on '$(kv host <<<"$there")', not running on d2-h1" || return 1
  w=$(on d1 r_wait "$gpid" $((COUNT / 10 + 120)))
  [[ $(kv code <<<"$w") == "$COUNT_EXIT" ]] ||
    fail "zinc wait $gpid on d1-h1 gave $(kv code <<<"$w"), expected the job's exit code $COUNT_EXIT" || return 1
  logs=$(on d1 r_logs "$gpid" 2>"$TMP/err") || fail "zinc logs $gpid failed: $(show_err "$TMP/err")" || return 1
  # Exactly 1..COUNT: a gap means lost output or state, a repeat means two copies ran.
  bad=$(awk -v n="$COUNT" '
    $0 != NR { printf "line %d is \"%s\", expected %d", NR, $0, NR; bad = 1; exit }
    END { if (!bad && NR != n) printf "%d lines, expected %d", NR, n }' <<<"$logs")
  [[ -z $bad ]] || fail "output of $gpid is not 1..$COUNT: $bad" || return 1
  DETAIL="$gpid $(summary_of "$m"); ps on d1-h1: on d2-h1; output 1..$COUNT continuous; exit $COUNT_EXIT"
}

check_memory() {
  local gpid ready sum m where w last
  gpid=$(on d2 r_submit d2-h1 "$TESTJOB" mem "$MEM_BYTES" 2>"$TMP/err") ||
    fail "zinc submit on d2-h1 failed: $(show_err "$TMP/err")" || return 1
  GPIDS+=("$gpid d2")
  ready=$(on d2 r_wait_line "$gpid" '^ready ' 60 2>"$TMP/err") ||
    fail "$gpid did not fill its memory within 60 s: $(show_err "$TMP/err")" || return 1
  sum=${ready#ready }
  m=$(on d2 r_migrate "$gpid" d3-h1 "$LAZY" 2>"$TMP/err") ||
    fail "zinc migrate $gpid --to d3-h1${LAZY:+ --lazy} failed: $(show_err "$TMP/err")" || return 1
  [[ $(kv outcome <<<"$m") == migrated && $(kv to <<<"$m") == d3-h1 ]] ||
    fail "zinc migrate $gpid: outcome $(kv outcome <<<"$m") to $(kv to <<<"$m"): $(kv reason <<<"$m")" || return 1
  where=$(on d2 r_where "$gpid")
  [[ $(kv host <<<"$where") == d3-h1 ]] ||
    fail "after the migration, zinc ps on d2-h1 says $gpid is on '$(kv host <<<"$where")', not d3-h1" || return 1
  on d2 r_signal "$gpid" USR1 2>"$TMP/err" || fail "zinc kill --signal USR1 $gpid failed: $(show_err "$TMP/err")" || return 1
  w=$(on d2 r_wait "$gpid" 120)
  last=$(on d2 r_logs "$gpid" 2>/dev/null | tail -n 1 || true)
  [[ $(kv code <<<"$w") == 0 && $last == "verified $sum" ]] ||
    fail "after the migration the job reported '$last' (exit $(kv code <<<"$w")); expected 'verified $sum' and exit 0" || return 1
  DETAIL="$gpid $(mib "$MEM_BYTES") $(summary_of "$m")${LAZY:+ post-copy}; checksum $sum verified on d3-h1"
}

T0=$SECONDS
if [[ $VIA == lab ]]; then where="lab $LAB"; else where=$HERE; fi
printf 'wan-check: via %s (%s); counter %s lines, memory job %s%s\n' "$VIA" "$where" "$COUNT" "$(mib "$MEM_BYTES")" \
  "${LAZY:+, post-copy}"
if run_check grid check_grid; then
  run_check wan check_wan || true
  run_check counter check_counter || true
  run_check memory check_memory || true
fi

failed=0
echo
echo "wan-check summary"
for i in "${!NAMES[@]}"; do
  printf '  %-4s  %-8s %6s  %s\n' "${RESULTS[i]}" "${NAMES[i]}" "${TIMES[i]}" "${DETAILS[i]}"
  [[ ${RESULTS[i]} == PASS ]] || failed=$((failed + 1))
done
not_run=$((4 - ${#NAMES[@]}))
((not_run == 0)) || printf '  %-4s  %s\n' SKIP 'wan, counter and memory were not run: the grid is not up'
if ((failed == 0 && not_run == 0)); then
  printf 'wan-check: PASS (4 checks) in %d s\n' "$((SECONDS - T0))"
else
  printf 'wan-check: FAIL (%d failed, %d not run) in %d s\n' "$failed" "$not_run" "$((SECONDS - T0))"
  exit 1
fi
