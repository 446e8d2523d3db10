#!/usr/bin/env bash
# Vagrant provisioner ("wan", run on every `vagrant up`/`reload`), as root inside each VM: installs
# zinc-wan (provision/zinc-wan.sh) with this VM's settings and applies them: routes to the other
# domains over the WAN network, and netem delay/rate on this VM's WAN egress.
#
# Three ways keep it applied, because each covers a case the others miss:
# - this provisioner runs after Vagrant has (re)configured the interfaces at every up/reload,
#   which drops routes that were there before;
# - zinc-wan.service applies it at boot, for a reboot from inside the guest;
# - /etc/network/if-up.d/zinc-wan applies it when ifupdown brings an interface up again.
# Environment (from the Vagrantfile): ZINC_DOMAIN, ZINC_LAN_ADDR, ZINC_WAN_ADDR, ZINC_WAN_ROUTES,
# ZINC_WAN_DELAY_MS, ZINC_WAN_RATE.
set -euo pipefail

readonly SRC=/vagrant/infra/vagrant/provision/zinc-wan.sh
readonly TOOL=/usr/local/sbin/zinc-wan
readonly ENV_FILE=/etc/zinc/wan.env
readonly UNIT=/etc/systemd/system/zinc-wan.service
readonly IFUP_HOOK=/etc/network/if-up.d/zinc-wan

die() {
  printf 'provision/wan: error: %s\n' "$*" >&2
  exit 1
}

[[ $(id -u) == 0 ]] || die "run as root (Vagrant's shell provisioner does)"
for v in ZINC_DOMAIN ZINC_LAN_ADDR ZINC_WAN_ADDR ZINC_WAN_ROUTES ZINC_WAN_DELAY_MS ZINC_WAN_RATE; do
  [[ -v $v ]] || die "$v is not set; run this through the Vagrantfile (vagrant provision)"
done
[[ -r $SRC ]] || die "$SRC is missing: the repository was not synced to /vagrant (vagrant rsync)"
command -v tc >/dev/null || die "tc is missing (iproute2)"

install -d -m 0755 /etc/zinc
install -m 0755 "$SRC" "$TOOL"
# Values are validated by the Vagrantfile and again by zinc-wan; %q keeps the file sourceable.
{
  echo "# Written by infra/vagrant/provision/wan.sh; read by $TOOL. Change it with the Vagrantfile's"
  echo "# ZINC_WAN_* settings and \`vagrant provision --provision-with wan\`."
  for v in ZINC_DOMAIN ZINC_LAN_ADDR ZINC_WAN_ADDR ZINC_WAN_ROUTES ZINC_WAN_DELAY_MS ZINC_WAN_RATE; do
    printf '%s=%q\n' "$v" "${!v}"
  done
} >"$ENV_FILE.tmp"
mv "$ENV_FILE.tmp" "$ENV_FILE"

cat >"$UNIT.tmp" <<EOF
# Written by infra/vagrant/provision/wan.sh.
[Unit]
Description=zinc WAN emulation: routes to the other domains, netem on the WAN egress
Documentation=file:///opt/zinc/app/docs/vagrant.md
Wants=network-online.target
After=network-online.target
Before=zincd.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=$TOOL apply
ExecStop=$TOOL clear

[Install]
WantedBy=multi-user.target
EOF
mv "$UNIT.tmp" "$UNIT"

# Only meaningful where ifupdown manages the interfaces (the Debian boxes); harmless elsewhere.
if [[ -d /etc/network/if-up.d ]]; then
  cat >"$IFUP_HOOK.tmp" <<EOF
#!/bin/sh
# Written by infra/vagrant/provision/wan.sh: re-apply zinc's WAN routes and netem when an
# interface comes up (ifdown drops the routes). Quiet until both addresses exist, and never
# fails: a failing hook would make ifup report the interface as failed.
[ "\$IFACE" = lo ] && exit 0
$TOOL apply --if-ready >/dev/null 2>&1 || logger -t zinc-wan "apply failed after ifup \$IFACE; run: zinc-wan apply"
exit 0
EOF
  chmod 0755 "$IFUP_HOOK.tmp"
  mv "$IFUP_HOOK.tmp" "$IFUP_HOOK"
fi

systemctl daemon-reload
systemctl enable --quiet zinc-wan.service
# Apply directly, so that a problem shows here with zinc-wan's own message rather than as a failed
# unit. Then start the unit, so that systemd knows it is applied: a no-op if it already ran at
# boot, which is fine, because apply has just put the new settings in place.
"$TOOL" apply
systemctl start zinc-wan.service
"$TOOL" show
