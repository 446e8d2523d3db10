#!/usr/bin/env bash
# zinc-wan: the WAN between the Vagrant domains, as seen from one VM. Installed by
# provision/wan.sh as /usr/local/sbin/zinc-wan and run by zinc-wan.service at boot, by the ifup
# hook, and by Vagrant on every `vagrant up`/`reload`. Settings: /etc/zinc/wan.env.
#
#   zinc-wan apply [--if-ready]   routes to the other domains over the WAN + netem on its egress
#   zinc-wan clear                remove both
#   zinc-wan show                 what is in place now
#
# Why the pieces:
# - Routes. Each VM is its own domain's border router. Traffic to another domain's /24 goes via
#   that domain's WAN address, sourced from our own domain address, so that zincd's connections
#   come from the address it listens on, exactly as with hosts on separate sites.
# - netem on the WAN interface's egress, the full one-way delay: every packet between two domains
#   leaves one VM through its WAN interface exactly once, so any two domains are ZINC_WAN_DELAY_MS
#   apart one way and 2x that round trip. This is zinc-lab's --wan-delay meaning.
# - netem's rate limits each VM's egress into the WAN. Its queue (limit, in packets) holds the
#   packets in the delay line plus about one round trip's bandwidth-delay product, like zinc-lab's
#   tbf queue: enough for one TCP flow to keep the link busy, not so much that it bloats latency.
# Everything is idempotent (ip route replace, tc qdisc replace).
set -euo pipefail

readonly ENV_FILE=${ZINC_WAN_ENV:-/etc/zinc/wan.env}
readonly MTU_BYTES=1500

log() { printf 'zinc-wan: %s\n' "$*"; }
die() {
  printf 'zinc-wan: error: %s\n' "$*" >&2
  exit 1
}

usage() {
  cat <<'EOF'
Usage: zinc-wan apply [--if-ready] | clear | show
Settings come from /etc/zinc/wan.env (written by infra/vagrant/provision/wan.sh):
ZINC_DOMAIN, ZINC_LAN_ADDR, ZINC_WAN_ADDR, ZINC_WAN_ROUTES ("NET/24=GW ..."),
ZINC_WAN_DELAY_MS, ZINC_WAN_RATE (tc units or "unlimited").
EOF
}

load_env() {
  [[ -r $ENV_FILE ]] || die "$ENV_FILE is missing; run \`vagrant provision --provision-with wan\`"
  # shellcheck source=/dev/null
  . "$ENV_FILE"
  : "${ZINC_LAN_ADDR:?missing in $ENV_FILE}" "${ZINC_WAN_ADDR:?missing in $ENV_FILE}"
  : "${ZINC_WAN_DELAY_MS:?missing in $ENV_FILE}" "${ZINC_WAN_RATE:?missing in $ENV_FILE}"
  ZINC_WAN_ROUTES=${ZINC_WAN_ROUTES:-}
  [[ $ZINC_WAN_DELAY_MS =~ ^[0-9]+$ ]] || die "ZINC_WAN_DELAY_MS=$ZINC_WAN_DELAY_MS is not a number of ms"
  [[ $ZINC_WAN_RATE =~ ^(unlimited|[1-9][0-9]*(bit|kbit|mbit|gbit))$ ]] ||
    die "ZINC_WAN_RATE=$ZINC_WAN_RATE is not unlimited or a tc rate such as 20mbit"
}

# The interface that holds ADDR, or nothing. Found by address, not by name: boxes name their NICs
# eth1/ens6/enp0s8 depending on provider and udev.
iface_of() {
  ip -o -4 addr show to "$1/32" | awk '{ print $2; exit }'
}

# tc rate -> bits per second (tc's k/m/g are powers of 1000).
rate_bps() {
  local n=${1%%[a-z]*} unit=${1##*[0-9]}
  case $unit in
  bit) echo "$n" ;;
  kbit) echo $((n * 1000)) ;;
  mbit) echo $((n * 1000000)) ;;
  gbit) echo $((n * 1000000000)) ;;
  *) die "bad rate $1" ;;
  esac
}

# netem's queue length in packets for RATE and one-way DELAY_MS: the delay line (rate x delay)
# plus one round trip of bandwidth-delay product (rate x 2 x delay), in MTU-sized packets, and at
# least 128. Without a rate netem only delays, and a queue of 10^5 packets never limits.
netem_limit() {
  local rate=$1 delay_ms=$2
  if [[ $rate == unlimited ]]; then
    echo 100000
    return
  fi
  local bps limit
  bps=$(rate_bps "$rate")
  limit=$(((bps * 3 * delay_ms / 1000 / 8 + MTU_BYTES - 1) / MTU_BYTES))
  ((limit >= 128)) || limit=128
  echo "$limit"
}

apply() {
  local if_ready=$1 wan lan
  wan=$(iface_of "$ZINC_WAN_ADDR")
  lan=$(iface_of "$ZINC_LAN_ADDR")
  if [[ -z $wan || -z $lan ]]; then
    # Called from the ifup hook while the other interface is not up yet: its own ifup comes later.
    [[ $if_ready == 1 ]] && exit 0
    die "address ${ZINC_WAN_ADDR} (WAN) or ${ZINC_LAN_ADDR} (domain) is not configured; is the VM's private network up? (ip -br addr)"
  fi

  local route net gw
  for route in $ZINC_WAN_ROUTES; do
    net=${route%%=*} gw=${route#*=}
    ip route replace "$net" via "$gw" dev "$wan" src "$ZINC_LAN_ADDR"
  done

  if [[ $ZINC_WAN_DELAY_MS == 0 && $ZINC_WAN_RATE == unlimited ]]; then
    # Nothing to emulate: back to the kernel's default qdisc.
    tc qdisc del dev "$wan" root 2>/dev/null || true
  else
    modprobe sch_netem 2>/dev/null || true
    local args=(delay "${ZINC_WAN_DELAY_MS}ms")
    [[ $ZINC_WAN_RATE == unlimited ]] || args+=(rate "$ZINC_WAN_RATE")
    args+=(limit "$(netem_limit "$ZINC_WAN_RATE" "$ZINC_WAN_DELAY_MS")")
    tc qdisc replace dev "$wan" root netem "${args[@]}" ||
      die "tc netem failed on $wan: this kernel may lack sch_netem (CONFIG_NET_SCH_NETEM); use a box with Debian's standard kernel"
  fi
  log "${ZINC_DOMAIN:-?}: WAN $wan ($ZINC_WAN_ADDR) delay ${ZINC_WAN_DELAY_MS}ms one-way, rate $ZINC_WAN_RATE; routes ${ZINC_WAN_ROUTES:-none} from $ZINC_LAN_ADDR ($lan)"
}

clear_all() {
  local wan route
  wan=$(iface_of "$ZINC_WAN_ADDR")
  for route in $ZINC_WAN_ROUTES; do
    ip route del "${route%%=*}" 2>/dev/null || true
  done
  [[ -z $wan ]] || tc qdisc del dev "$wan" root 2>/dev/null || true
  log "cleared"
}

show() {
  local wan
  wan=$(iface_of "$ZINC_WAN_ADDR")
  echo "domain ${ZINC_DOMAIN:-?}: lan $ZINC_LAN_ADDR ($(iface_of "$ZINC_LAN_ADDR")), wan $ZINC_WAN_ADDR (${wan:-not configured})"
  echo "configured: delay ${ZINC_WAN_DELAY_MS}ms one-way, rate $ZINC_WAN_RATE"
  echo "routes:"
  local route
  for route in $ZINC_WAN_ROUTES; do
    printf '  %s\n' "$(ip route show "${route%%=*}" | head -n1)"
  done
  [[ -z $wan ]] || {
    echo "qdisc on $wan:"
    tc -s qdisc show dev "$wan" | sed 's/^/  /'
  }
}

cmd=${1:-}
case $cmd in
apply)
  load_env
  apply "$([[ ${2:-} == --if-ready ]] && echo 1 || echo 0)"
  ;;
clear)
  load_env
  clear_all
  ;;
show)
  load_env
  show
  ;;
-h | --help | help) usage ;;
*)
  usage >&2
  exit 2
  ;;
esac
