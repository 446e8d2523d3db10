#!/usr/bin/env bash
# Vagrant provisioner, as root inside each VM: the Debian packages zinc needs, and Node.js >= 20.10.
#
# Node: Debian 12 ships Node 18, and zinc needs >= 20.10 (package.json "engines"). So, unless the
# box already has a new enough node, Node 20 comes from NodeSource's apt repository, pinned so that
# Debian's nodejs never replaces it. With ZINC_NODE=box nothing is added: the box must provide it.
# Idempotent: a second run finds everything in place and only refreshes the package lists.
set -euo pipefail

readonly NODE_MIN=20.10
readonly NODE_MAJOR=20
readonly NODESOURCE_KEY_URL=https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key
readonly NODESOURCE_KEYRING=/etc/apt/keyrings/nodesource.gpg
ZINC_NODE=${ZINC_NODE:-nodesource}
export DEBIAN_FRONTEND=noninteractive

log() { printf 'provision/packages: %s\n' "$*"; }
die() {
  printf 'provision/packages: error: %s\n' "$*" >&2
  exit 1
}

[[ $(id -u) == 0 ]] || die "run as root (Vagrant's shell provisioner does)"
command -v apt-get >/dev/null || die "this box has no apt-get; use a Debian 12 box (ZINC_BOX)"

# Packages, and why:
#   gcc make libc6-dev   npm ci builds zinc's C helpers (shim, relay, test job) with the system cc
#   iproute2 kmod        ip and tc for the WAN routes and netem (zinc-wan); modprobe sch_netem
#   util-linux procps    nsenter, unshare, ps: used by zinc and its tests
#   rsync                copies /vagrant to /opt/zinc/app (provision/zinc.sh)
#   curl gnupg ca-certificates   NodeSource's key and repository; criu/install downloads over http
#   debian-archive-keyring       criu/install verifies Debian 13's packages with it
#   iputils-ping         for operators: quick reachability checks across the WAN
readonly PACKAGES=(gcc make libc6-dev iproute2 kmod util-linux procps rsync curl gnupg ca-certificates
  debian-archive-keyring iputils-ping)

apt-get update -qq
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  log "apt-get install ${missing[*]}"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# criu/install verifies Debian 13's packages with this keyring; an old box may predate the trixie
# keys (docs/criu.md: NO_PUBKEY), so bring it up to date even when it is installed.
apt-get install -y -qq --only-upgrade debian-archive-keyring >/dev/null

# True when `node` on PATH is at least $NODE_MIN.
node_ok() {
  command -v node >/dev/null || return 1
  local v
  v=$(node -p 'process.versions.node' 2>/dev/null) || return 1
  [[ $(printf '%s\n%s\n' "$NODE_MIN" "$v" | sort -V | head -n1) == "$NODE_MIN" ]]
}

if node_ok; then
  log "node $(node --version) at $(command -v node) is new enough"
elif [[ $ZINC_NODE == box ]]; then
  die "ZINC_NODE=box but the box has no Node >= ${NODE_MIN} on PATH ($(command -v node || echo 'no node')); use a box that has it, or ZINC_NODE=nodesource"
else
  log "installing Node ${NODE_MAJOR} from NodeSource (Debian 12 has only Node 18)"
  install -d -m 0755 /etc/apt/keyrings
  # The key is fetched over HTTPS and kept in its own keyring, trusted for this one source only.
  curl -fsSL "$NODESOURCE_KEY_URL" | gpg --batch --yes --dearmor -o "$NODESOURCE_KEYRING"
  chmod 0644 "$NODESOURCE_KEYRING"
  printf 'deb [signed-by=%s] https://deb.nodesource.com/node_%s.x nodistro main\n' \
    "$NODESOURCE_KEYRING" "$NODE_MAJOR" >/etc/apt/sources.list.d/nodesource.list
  # Prefer NodeSource's nodejs over Debian's whatever the version strings say.
  cat >/etc/apt/preferences.d/nodesource <<'EOF'
Package: nodejs
Pin: origin deb.nodesource.com
Pin-Priority: 600
EOF
  apt-get update -qq
  apt-get install -y -qq nodejs >/dev/null
  hash -r
  node_ok || die "installed nodejs but node is $(node --version 2>/dev/null || echo missing); need >= ${NODE_MIN}"
  log "node $(node --version) installed from NodeSource"
fi
command -v npm >/dev/null || die "node is there but npm is not; install npm for $(node --version)"
