#!/usr/bin/env bash
# Vagrant provisioner ("zinc"), as root inside each VM: builds zinc from the synced checkout,
# installs CRIU with the project's own installer, and runs zincd under systemd with this host's
# identity. Needs provision/packages.sh first (Node >= 20.10, gcc, make, rsync).
#
# - The checkout (/vagrant, rsynced by Vagrant) is copied to /opt/zinc/app and built there with
#   `npm ci` (TypeScript and the C helpers). One fixed path on every VM matters: a migrated job's
#   executable, e.g. /opt/zinc/app/build/zinc-testjob, must exist at the same path, with the same
#   contents, where it is restored.
# - criu/install is the same idempotent installer as everywhere else (docs/criu.md): it keeps a
#   system CRIU >= 4.1 that passes `criu check`, else installs Debian 13's CRIU privately in
#   /opt/zinc/criu, where zincd finds it.
# - zincd.service (infra/vagrant/zincd.service) reads /etc/zinc/zincd.env, written here.
# - Mutual TLS (ZINC_TLS=on, the default): the Vagrantfile made the PKI on the host, in
#   infra/vagrant/.pki, and the synced folder brought this VM the CA bundle and this host's own
#   certificate and key (no CA key). They are installed in /etc/zinc/tls (the key 0600 root) and
#   passed to zincd. ZINC_TLS=off runs zincd with --insecure instead: plaintext, peers unverified.
# - /etc/zinc/user-map.json maps every user of the other domains, root included, to the same name
#   (infra/vagrant/user-map.json): the grid is one organisation (docs/security.md, "Users").
# Environment (from the Vagrantfile): ZINC_HOST_ID, ZINC_DOMAIN, ZINC_LISTEN, ZINC_PEERS,
# ZINC_ACCEPT_DOMAINS, ZINC_LOG_LEVEL, ZINCD_EXTRA_ARGS, ZINC_TLS.
set -euo pipefail

readonly SRC=/vagrant
readonly APP=/opt/zinc/app
readonly ENV_FILE=/etc/zinc/zincd.env
readonly UNIT=/etc/systemd/system/zincd.service
readonly SOCKET=/var/lib/zinc/zincd.sock
readonly PKI=$SRC/infra/vagrant/.pki
readonly TLS_DIR=/etc/zinc/tls
readonly USER_MAP=/etc/zinc/user-map.json

log() { printf 'provision/zinc: %s\n' "$*"; }
die() {
  printf 'provision/zinc: error: %s\n' "$*" >&2
  exit 1
}

[[ $(id -u) == 0 ]] || die "run as root (Vagrant's shell provisioner does)"
for v in ZINC_HOST_ID ZINC_DOMAIN ZINC_LISTEN ZINC_PEERS ZINC_ACCEPT_DOMAINS ZINC_LOG_LEVEL; do
  [[ -v $v ]] || die "$v is not set; run this through the Vagrantfile (vagrant provision)"
done
ZINCD_EXTRA_ARGS=${ZINCD_EXTRA_ARGS:-}
ZINC_TLS=${ZINC_TLS:-on}
[[ $ZINC_TLS == on || $ZINC_TLS == off ]] || die "ZINC_TLS=$ZINC_TLS is not on or off"
[[ -f $SRC/package.json && -x $SRC/criu/install ]] ||
  die "$SRC does not hold the zinc checkout; run \`vagrant rsync\` (the Vagrantfile syncs the repository root)"
# This host's TLS files, made on the host by the Vagrantfile and synced here. Checked before the
# long build, so that a missing file is reported at once.
readonly CA_SRC=$PKI/bundle.pem
readonly CERT_NAME=$ZINC_DOMAIN-$ZINC_HOST_ID.pem
readonly KEY_NAME=$ZINC_DOMAIN-$ZINC_HOST_ID-key.pem
if [[ $ZINC_TLS == on ]]; then
  for f in "$CA_SRC" "$PKI/$CERT_NAME" "$PKI/$KEY_NAME"; do
    [[ -f $f ]] || die "$f is missing: the Vagrantfile makes infra/vagrant/.pki on the host at every vagrant command; run \`vagrant rsync\` to bring it here (or set ZINC_TLS=off for plaintext)"
  done
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  die "node or npm is missing; provision/packages.sh installs them"
fi

# 1. Copy the checkout. --delete keeps /opt/zinc/app an exact copy of the sources; the excluded
#    build outputs survive so that an unchanged lockfile does not need a fresh `npm ci`.
log "syncing $SRC to $APP"
install -d -m 0755 "$APP"
rsync -a --delete --chown=root:root \
  --exclude=/.git/ --exclude=/node_modules/ --exclude=/dist/ --exclude=/build/ --exclude=.vagrant/ \
  --exclude=/.zinc-out/ --exclude=/experiment-out/ --exclude=/infra/vagrant/.pki/ \
  "$SRC/" "$APP/"

# 2. Build. `npm ci` installs exactly the lockfile and runs the build (package.json "prepare");
#    when the lockfile has not changed since the last install, rebuilding is enough (like
#    scripts/deps).
cd "$APP"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "npm ci (node $(node --version))"
  npm ci --no-audit --no-fund --loglevel=error
else
  log "npm run build (dependencies unchanged)"
  npm run --silent build
fi
for f in dist/daemon/main.js dist/cli/main.js build/zinc-shim build/zinc-testjob; do
  [[ -x $f ]] || die "the build did not produce $APP/$f"
done

# 3. CRIU, through the one installer. It also sets (and persists) the post-copy sysctls.
log "criu/install"
criu/install --quiet

# 4. The CLI for everyone on the VM (it needs root: the socket is 0600).
ln -sfn "$APP/dist/cli/main.js" /usr/local/bin/zinc

# 5. zincd under systemd: its TLS files, its user map, its settings, the unit.
install -d -m 0755 /etc/zinc /var/lib/zinc
if [[ $ZINC_TLS == on ]]; then
  install -d -m 0755 -o root -g root "$TLS_DIR"
  install -m 0644 -o root -g root "$CA_SRC" "$TLS_DIR/ca-bundle.pem"
  install -m 0644 -o root -g root "$PKI/$CERT_NAME" "$TLS_DIR/$CERT_NAME"
  install -m 0600 -o root -g root "$PKI/$KEY_NAME" "$TLS_DIR/$KEY_NAME"
  ZINC_TLS_ARGS="--tls-ca $TLS_DIR/ca-bundle.pem --tls-cert $TLS_DIR/$CERT_NAME --tls-key $TLS_DIR/$KEY_NAME"
  log "mutual TLS between the daemons: zincd $ZINC_TLS_ARGS"
else
  ZINC_TLS_ARGS=--insecure
  log "warning: ZINC_TLS=off: zincd $ZINC_TLS_ARGS (plaintext; whoever reaches ${ZINC_LISTEN} is an anonymous peer)"
fi
install -m 0644 -o root -g root "$APP/infra/vagrant/user-map.json" "$USER_MAP"
{
  echo "# Written by infra/vagrant/provision/zinc.sh; read by zincd.service. Change the settings in"
  echo "# the Vagrantfile and run \`vagrant provision --provision-with zinc\`."
  for v in ZINC_HOST_ID ZINC_DOMAIN ZINC_LISTEN ZINC_PEERS ZINC_ACCEPT_DOMAINS ZINC_LOG_LEVEL ZINC_TLS_ARGS ZINCD_EXTRA_ARGS; do
    # systemd's EnvironmentFile syntax: double quotes keep "*" and spaces as they are.
    printf '%s="%s"\n' "$v" "${!v}"
  done
} >"$ENV_FILE.tmp"
mv "$ENV_FILE.tmp" "$ENV_FILE"
install -m 0644 "$APP/infra/vagrant/zincd.service" "$UNIT"
systemctl daemon-reload
systemctl enable --quiet zincd.service
# A restart picks up new code and settings; jobs keep running (KillMode=process, see the unit).
systemctl restart zincd.service

# 6. Ready when the socket answers. Otherwise show why, from the journal.
for _ in $(seq 1 60); do
  if [[ -S $SOCKET ]] && zinc ps >/dev/null 2>&1; then
    log "zincd ${ZINC_HOST_ID} (domain ${ZINC_DOMAIN}) is up on ${ZINC_LISTEN} (TLS ${ZINC_TLS}); peers ${ZINC_PEERS:-none}"
    # For the provisioning log: what zinc thinks of this host (CRIU, cgroups, sysctls).
    zinc doctor || log "zinc doctor reported problems (above); migration may not work until they are fixed"
    exit 0
  fi
  sleep 1
done
journalctl -u zincd.service -n 40 --no-pager >&2 || true
die "zincd did not become ready within 60 s (journalctl -u zincd)"
