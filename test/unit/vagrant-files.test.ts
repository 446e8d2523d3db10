/**
 * Static checks of infra/vagrant (the real multi-VM WAN setup). VMs cannot boot on the project's
 * machines, so this checks what can be checked anywhere: the scripts parse (bash -n) and pass
 * shellcheck, the Vagrantfile describes three VMs in three domain networks plus a WAN with netem,
 * zinc-wan issues the right ip/tc commands (run against stub ip and tc), the systemd units load,
 * and `vagrant validate` accepts the Vagrantfile. The grid's PKI (pki.rb, run by the Vagrantfile on
 * the machine that runs vagrant) is made for real and checked with node:crypto, @peculiar/x509 and
 * zincd's own loader (tls-files.ts, trust.ts). Tools that are not installed (shellcheck, ruby,
 * vagrant, systemd-analyze) skip their test, with the reason in its name.
 *
 * The Vagrantfile makes infra/vagrant/.pki when it is evaluated, so every test that evaluates it
 * works on a copy of infra/vagrant in a temporary "checkout", never in the real one.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// pki.ts first: it loads reflect-metadata and sets the WebCrypto provider @peculiar/x509 needs.
import { createCa, createHostCert } from '../../daemon/security/pki.js';
import * as x509 from '@peculiar/x509';
import { identityOfCertificate } from '../../daemon/security/peer-identity.js';
import { loadTlsMaterial } from '../../daemon/security/tls-files.js';
import { mapRemoteUser } from '../../daemon/security/user-map.js';
import { labUserMapFile, writeLabUserMap } from '../../infra/lab/users.js';
import { ROOT } from '../helpers/env.js';

const DIR = join(ROOT, 'infra', 'vagrant');
const VAGRANTFILE = join(DIR, 'Vagrantfile');
const PKI_RB = join(DIR, 'pki.rb');
const ZINC_WAN = join(DIR, 'provision', 'zinc-wan.sh');
const SCRIPTS = [join(DIR, 'wan-check.sh'), ...readdirSync(join(DIR, 'provision')).filter((f) => f.endsWith('.sh')).map((f) => join(DIR, 'provision', f))];
const rel = (p: string) => relative(ROOT, p);

const tmp = mkdtempSync(join(tmpdir(), 'zinc-vagrant-unit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function has(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}
const skipped = (name: string, tool: string) => (has(tool) ? name : `${name} [skipped: ${tool} is not installed]`);

/** The environment without any ZINC_* setting of the caller, plus `extra`. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ZINC') && !/_proxy$/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000, ...opts });
}

describe('infra/vagrant scripts', () => {
  it('are there: Vagrantfile, pki.rb, user-map.json, wan-check.sh, provision/{wan,zinc-wan,packages,zinc}.sh, zincd.service, README.md', () => {
    for (const f of ['Vagrantfile', 'pki.rb', 'user-map.json', 'wan-check.sh', 'zincd.service', 'README.md', 'provision/wan.sh', 'provision/zinc-wan.sh', 'provision/packages.sh', 'provision/zinc.sh']) {
      expect(statSync(join(DIR, f)).isFile(), f).toBe(true);
    }
  });

  for (const s of SCRIPTS) {
    it(`${rel(s)}: executable bash with set -euo pipefail, and bash -n parses it`, () => {
      const text = readFileSync(s, 'utf8');
      expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
      expect(text).toMatch(/^set -euo pipefail$/m);
      expect(statSync(s).mode & 0o111).not.toBe(0);
      const r = run('bash', ['-n', s]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }

  it.skipIf(!has('shellcheck'))(skipped('shellcheck finds nothing in any of them', 'shellcheck'), () => {
    const r = run('shellcheck', ['-x', ...SCRIPTS], { cwd: DIR });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('wan-check.sh: --help exits 0; bad arguments exit 2 before touching any VM', () => {
    const check = join(DIR, 'wan-check.sh');
    const help = run(check, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--via vagrant\|lab/);
    for (const args of [['--via', 'nowhere'], ['--via'], ['--count', '5'], ['--mem', 'lots'], ['--bogus']]) {
      const r = run(check, args);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
    }
  });
});

describe('zincd.service', () => {
  const unit = readFileSync(join(DIR, 'zincd.service'), 'utf8');

  it('keeps jobs alive when zincd stops, restarts on failure, uses the one state dir and the env file', () => {
    expect(unit).toMatch(/^KillMode=process$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/zinc\/zincd\.env$/m);
    for (const flag of ['--host-id ${ZINC_HOST_ID}', '--domain ${ZINC_DOMAIN}', '--state-dir /var/lib/zinc', '--listen ${ZINC_LISTEN}', '--peers ${ZINC_PEERS}', '--accept-domains ${ZINC_ACCEPT_DOMAINS}', '--log-level ${ZINC_LOG_LEVEL}', '--user-map /etc/zinc/user-map.json']) {
      expect(unit).toContain(flag);
    }
    // The TLS flags (or --insecure) and the extra flags are split at spaces ($VAR, not ${VAR}), the
    // extra flags last so that they can add to anything.
    expect(unit).toMatch(/^ {2}\$ZINC_TLS_ARGS \\\n {2}\$ZINCD_EXTRA_ARGS$/m);
    // provision/zinc.sh writes every variable the unit uses.
    const zincSh = readFileSync(join(DIR, 'provision', 'zinc.sh'), 'utf8');
    const used = [...unit.replace(/^#.*$/gm, '').matchAll(/\$\{?([A-Z_]+)\}?/g)].map((m) => m[1]);
    const written = /for v in ([A-Z_ ]+); do\n\s+# systemd's EnvironmentFile/.exec(zincSh)?.[1]?.split(' ');
    expect(new Set(used)).toEqual(new Set(written));
    expect(used).toHaveLength(8);
  });

  it('gets the TLS flags from provision/zinc.sh: the installed bundle, certificate and key, or --insecure with ZINC_TLS=off', () => {
    const zincSh = readFileSync(join(DIR, 'provision', 'zinc.sh'), 'utf8');
    expect(zincSh).toContain('readonly PKI=$SRC/infra/vagrant/.pki');
    expect(zincSh).toContain('readonly TLS_DIR=/etc/zinc/tls');
    expect(zincSh).toContain('install -m 0644 -o root -g root "$CA_SRC" "$TLS_DIR/ca-bundle.pem"');
    expect(zincSh).toContain('install -m 0644 -o root -g root "$PKI/$CERT_NAME" "$TLS_DIR/$CERT_NAME"');
    expect(zincSh).toContain('install -m 0600 -o root -g root "$PKI/$KEY_NAME" "$TLS_DIR/$KEY_NAME"');
    expect(zincSh).toContain('readonly CERT_NAME=$ZINC_DOMAIN-$ZINC_HOST_ID.pem');
    expect(zincSh).toContain('readonly KEY_NAME=$ZINC_DOMAIN-$ZINC_HOST_ID-key.pem');
    expect(zincSh).toContain('ZINC_TLS_ARGS="--tls-ca $TLS_DIR/ca-bundle.pem --tls-cert $TLS_DIR/$CERT_NAME --tls-key $TLS_DIR/$KEY_NAME"');
    expect(zincSh).toMatch(/^else\n {2}ZINC_TLS_ARGS=--insecure$/m);
    expect(zincSh).toContain('install -m 0644 -o root -g root "$APP/infra/vagrant/user-map.json" "$USER_MAP"');
    expect(zincSh).toContain('readonly USER_MAP=/etc/zinc/user-map.json');
    // The host's copy of the PKI is not copied on into /opt/zinc/app.
    expect(zincSh).toContain('--exclude=/infra/vagrant/.pki/');
  });

  it.skipIf(!has('systemd-analyze'))(skipped('systemd-analyze verify loads it without a warning', 'systemd-analyze'), () => {
    // The ExecStart path exists only on an installed VM; point it at an executable that exists here.
    const d = join(tmp, 'units');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'zincd.service'), unit.replace('/opt/zinc/app/dist/daemon/main.js', process.execPath));
    const r = run('systemd-analyze', ['verify', join(d, 'zincd.service')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('user-map.json', () => {
  const map = JSON.parse(readFileSync(join(DIR, 'user-map.json'), 'utf8')) as Record<string, Record<string, string>>;

  it('is the lab\'s one-organisation map: every domain\'s users, root included, keep their names', () => {
    const lab = join(tmp, 'lab');
    mkdirSync(lab, { recursive: true });
    writeLabUserMap(lab);
    expect(map).toEqual(JSON.parse(readFileSync(labUserMapFile(lab), 'utf8')));
    for (const [domain, user] of [['d2', 'alice'], ['d3', 'vagrant'], ['d2', 'root']] as const) {
      expect(mapRemoteUser(map, 'd1', domain, user)).toBe(user);
    }
  });
});

describe('zinc-wan (provision/zinc-wan.sh) against stub ip and tc', () => {
  // Stubs: `ip -o -4 addr show to ADDR/32` answers as if ADDR were configured (on wan0 for the
  // WAN address, lan0 otherwise); every other ip and tc call is only recorded.
  const stubDir = join(tmp, 'stubs');
  const log = join(tmp, 'calls.log');
  mkdirSync(stubDir, { recursive: true });
  writeFileSync(
    join(stubDir, 'ip'),
    `#!/bin/sh\necho "ip $*" >> ${log}\n` +
      `case "$*" in "-o -4 addr show to 192.168.60."*) echo "3: wan0    inet \${6%/32}/24 brd + scope global wan0";;\n` +
      `"-o -4 addr show to "*) echo "2: lan0    inet \${6%/32}/24 brd + scope global lan0";; esac\n`,
  );
  writeFileSync(join(stubDir, 'tc'), `#!/bin/sh\necho "tc $*" >> ${log}\n`);
  writeFileSync(join(stubDir, 'modprobe'), '#!/bin/sh\nexit 0\n');
  for (const f of ['ip', 'tc', 'modprobe']) chmodSync(join(stubDir, f), 0o755);

  function zincWan(settings: Record<string, string>, ...args: string[]): { status: number | null; out: string; calls: string[] } {
    const envFile = join(tmp, 'wan.env');
    const all = {
      ZINC_DOMAIN: 'd1',
      ZINC_LAN_ADDR: '192.168.61.10',
      ZINC_WAN_ADDR: '192.168.60.11',
      ZINC_WAN_ROUTES: '192.168.62.0/24=192.168.60.12 192.168.63.0/24=192.168.60.13',
      ZINC_WAN_DELAY_MS: '40',
      ZINC_WAN_RATE: '20mbit',
      ...settings,
    };
    writeFileSync(envFile, Object.entries(all).map(([k, v]) => `${k}="${v}"\n`).join(''));
    writeFileSync(log, '');
    const r = run(ZINC_WAN, args, { env: cleanEnv({ PATH: `${stubDir}:${process.env.PATH ?? ''}`, ZINC_WAN_ENV: envFile }) });
    const calls = readFileSync(log, 'utf8').split('\n').filter((l) => l && !l.includes(' addr show '));
    return { status: r.status, out: r.stdout + r.stderr, calls };
  }

  it('apply: routes to the other domains via their WAN addresses, from our domain address; netem with delay, rate and a BDP-sized queue', () => {
    const r = zincWan({}, 'apply');
    expect(r.status, r.out).toBe(0);
    expect(r.calls).toEqual([
      'ip route replace 192.168.62.0/24 via 192.168.60.12 dev wan0 src 192.168.61.10',
      'ip route replace 192.168.63.0/24 via 192.168.60.13 dev wan0 src 192.168.61.10',
      // limit = delay line + one RTT of BDP: 20 Mbit/s x 3 x 40 ms / 1500 B = 200 packets.
      'tc qdisc replace dev wan0 root netem delay 40ms rate 20mbit limit 200',
    ]);
  });

  it('apply: unlimited rate is delay only; no delay and no limit removes the qdisc', () => {
    expect(zincWan({ ZINC_WAN_RATE: 'unlimited' }, 'apply').calls).toContain('tc qdisc replace dev wan0 root netem delay 40ms limit 100000');
    expect(zincWan({ ZINC_WAN_RATE: '1gbit', ZINC_WAN_DELAY_MS: '100' }, 'apply').calls).toContain('tc qdisc replace dev wan0 root netem delay 100ms rate 1gbit limit 25000');
    expect(zincWan({ ZINC_WAN_RATE: 'unlimited', ZINC_WAN_DELAY_MS: '0' }, 'apply').calls).toContain('tc qdisc del dev wan0 root');
  });

  it('refuses a malformed rate (mbps means megabytes in tc) and a bad command', () => {
    const r = zincWan({ ZINC_WAN_RATE: '20mbps' }, 'apply');
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/ZINC_WAN_RATE=20mbps is not unlimited or a tc rate/);
    expect(r.calls).toEqual([]);
    expect(zincWan({}, 'frobnicate').status).toBe(2);
  });

  it('clear removes the routes and the qdisc', () => {
    const r = zincWan({}, 'clear');
    expect(r.status, r.out).toBe(0);
    expect(r.calls).toEqual(['ip route del 192.168.62.0/24', 'ip route del 192.168.63.0/24', 'tc qdisc del dev wan0 root']);
  });
});

describe('Vagrantfile (text)', () => {
  const text = readFileSync(VAGRANTFILE, 'utf8');

  it('takes the WAN delay and rate from the environment and provisions netem, CRIU and zincd', () => {
    expect(text).toMatch(/ENV.fetch\(name, default\)/);
    expect(text).toContain('"ZINC_WAN_DELAY_MS", "40"');
    expect(text).toContain('"ZINC_WAN_RATE", "20mbit"');
    expect(text).toMatch(/path: "provision\/wan\.sh", run: "always"/);
    expect(readFileSync(ZINC_WAN, 'utf8')).toMatch(/tc qdisc replace dev "\$wan" root netem/);
    const zincSh = readFileSync(join(DIR, 'provision', 'zinc.sh'), 'utf8');
    expect(zincSh).toMatch(/^criu\/install --quiet$/m);
    expect(zincSh).toMatch(/npm ci/);
  });
});

// The Vagrantfile evaluated by ruby against a stub of Vagrant's configuration API that records
// every call, so that the VMs, networks and provisioners can be checked without Vagrant.
const RECORDER = String.raw`
require "json"
class Rec
  def initialize; @attrs = {}; @calls = []; @children = {}; end
  def method_missing(name, *args, **kw, &blk)
    s = name.to_s
    if s.end_with?("=")
      @attrs[s.chomp("=")] = args[0]
      return nil
    end
    return (@children[s] ||= Rec.new) if args.empty? && kw.empty? && blk.nil?
    entry = { "call" => s, "args" => args, "opts" => kw }
    if blk
      child = Rec.new
      blk.call(child)
      entry["block"] = child.to_h
    end
    @calls << entry
    nil
  end
  def respond_to_missing?(*_) true end
  def to_h; { "attrs" => @attrs, "calls" => @calls, "children" => @children.transform_values(&:to_h) }; end
end
module Vagrant
  def self.require_version(*_); end
  def self.configure(_version); $root = Rec.new; yield $root; end
end
load ARGV[0]
puts JSON.generate($root.to_h)
`;

interface RecNode {
  attrs: Record<string, unknown>;
  calls: Array<{ call: string; args: unknown[]; opts: Record<string, unknown>; block?: RecNode }>;
  children: Record<string, RecNode>;
}
interface Machine {
  name: string;
  hostname: string;
  networks: Array<{ kind: string; ip: string; intnet: string; libvirtName: string; forward: string }>;
  provisioners: Array<{ name: string; path: string; run: string | undefined; env: Record<string, string> }>;
  syncedFolders: Array<{ args: unknown[]; opts: Record<string, unknown> }>;
}

let copies = 0;
/** A temporary checkout holding a copy of infra/vagrant, without .pki and .vagrant; its root. */
function checkoutCopy(): string {
  const root = join(tmp, `checkout-${++copies}`);
  cpSync(DIR, join(root, 'infra', 'vagrant'), { recursive: true, filter: (src) => !/[/\\]\.(pki|vagrant)$/.test(src) });
  return root;
}
const pkiOf = (checkout: string) => join(checkout, 'infra', 'vagrant', '.pki');

type Evaluated = { status: number | null; stderr: string; checkout: string; root?: RecNode; machines: Machine[] };

/** Evaluates the Vagrantfile of `checkout` (default: a fresh copy) with the recording stub. */
function evalVagrantfile(env: Record<string, string> = {}, checkout = checkoutCopy()): Evaluated {
  const dir = join(checkout, 'infra', 'vagrant');
  const r = run('ruby', ['-e', RECORDER, join(dir, 'Vagrantfile')], { env: cleanEnv(env), cwd: dir });
  if (r.status !== 0) return { status: r.status, stderr: r.stderr, checkout, machines: [] };
  const root = JSON.parse(r.stdout) as RecNode;
  const vm = root.children.vm;
  const machines = (vm?.calls ?? [])
    .filter((c) => c.call === 'define')
    .map((c): Machine => {
      const mvm = c.block?.children.vm;
      return {
        name: String(c.args[0]),
        hostname: String(mvm?.attrs.hostname),
        networks: (mvm?.calls ?? [])
          .filter((n) => n.call === 'network')
          .map((n) => ({
            kind: String(n.args[0]),
            ip: String(n.opts.ip),
            intnet: String(n.opts.virtualbox__intnet),
            libvirtName: String(n.opts.libvirt__network_name),
            forward: String(n.opts.libvirt__forward_mode),
          })),
        provisioners: (mvm?.calls ?? [])
          .filter((p) => p.call === 'provision')
          .map((p) => ({ name: String(p.args[0]), path: String(p.opts.path), run: p.opts.run as string | undefined, env: p.opts.env as Record<string, string> })),
        syncedFolders: (mvm?.calls ?? []).filter((f) => f.call === 'synced_folder').map((f) => ({ args: f.args, opts: f.opts })),
      };
    });
  return { status: r.status, stderr: r.stderr, checkout, root, machines };
}

describe.skipIf(!has('ruby'))(skipped('Vagrantfile (evaluated by ruby with a recording stub)', 'ruby'), () => {
  const def: Evaluated = has('ruby') ? evalVagrantfile() : { status: null, stderr: '', checkout: '', machines: [] };
  const prov = (m: Machine, name: string) => m.provisioners.find((p) => p.name === name);
  const net24 = (ip: string) => ip.split('.').slice(0, 3).join('.');

  it('defines three VMs, d1, d2 and d3, with host ids d1-h1, d2-h1, d3-h1', () => {
    expect(def.status, def.stderr).toBe(0);
    expect(def.machines.map((m) => [m.name, m.hostname])).toEqual([
      ['d1', 'd1-h1'],
      ['d2', 'd2-h1'],
      ['d3', 'd3-h1'],
    ]);
  });

  it('puts each VM on its own isolated domain network and all three on one WAN network', () => {
    const domainNets = def.machines.map((m) => m.networks[0]);
    const wanNets = def.machines.map((m) => m.networks[1]);
    for (const m of def.machines) expect(m.networks.map((n) => n.kind)).toEqual(['private_network', 'private_network']);
    // Three different domain networks, in three different /24s...
    expect(new Set(domainNets.map((n) => n?.intnet)).size).toBe(3);
    expect(new Set(domainNets.map((n) => n?.libvirtName)).size).toBe(3);
    expect(new Set(domainNets.map((n) => net24(n?.ip ?? ''))).size).toBe(3);
    // ...and one WAN network shared by all, in a /24 of its own.
    expect(new Set(wanNets.map((n) => n?.intnet))).toEqual(new Set(['zinc-wan']));
    expect(new Set(wanNets.map((n) => net24(n?.ip ?? ''))).size).toBe(1);
    expect(domainNets.map((n) => net24(n?.ip ?? ''))).not.toContain(net24(wanNets[0]?.ip ?? ''));
    // Not routed by the host: the only path between domains is the WAN with its netem.
    for (const n of [...domainNets, ...wanNets]) expect(n?.forward).toBe('none');
  });

  it('provisions wan (always), packages and zinc, in that order, from files that exist', () => {
    for (const m of def.machines) {
      expect(m.provisioners.map((p) => p.name)).toEqual(['wan', 'packages', 'zinc']);
      expect(prov(m, 'wan')?.run).toBe('always');
      for (const p of m.provisioners) expect(statSync(join(DIR, p.path)).isFile(), p.path).toBe(true);
    }
  });

  it('gives each zincd its domain address to listen on and the other two as peers; routes match', () => {
    for (const m of def.machines) {
      const others = def.machines.filter((o) => o !== m);
      const zinc = prov(m, 'zinc')?.env ?? {};
      const wan = prov(m, 'wan')?.env ?? {};
      expect(zinc.ZINC_HOST_ID).toBe(m.hostname);
      expect(zinc.ZINC_DOMAIN).toBe(m.name);
      expect(zinc.ZINC_LISTEN).toBe(`${m.networks[0]?.ip}:7070`);
      expect(zinc.ZINC_PEERS).toBe(others.map((o) => `${o.networks[0]?.ip}:7070`).join(','));
      expect(zinc.ZINC_ACCEPT_DOMAINS).toBe('d1,d2,d3');
      expect(zinc.ZINC_TLS).toBe('on');
      expect(wan.ZINC_LAN_ADDR).toBe(m.networks[0]?.ip);
      expect(wan.ZINC_WAN_ADDR).toBe(m.networks[1]?.ip);
      expect(wan.ZINC_WAN_ROUTES).toBe(others.map((o) => `${net24(o.networks[0]?.ip ?? '')}.0/24=${o.networks[1]?.ip}`).join(' '));
      expect([wan.ZINC_WAN_DELAY_MS, wan.ZINC_WAN_RATE]).toEqual(['40', '20mbit']);
    }
  });

  it('passes ZINC_WAN_DELAY_MS, ZINC_WAN_RATE and ZINC_NET_BASE from the environment', () => {
    const r = evalVagrantfile({ ZINC_WAN_DELAY_MS: '25', ZINC_WAN_RATE: 'unlimited', ZINC_NET_BASE: '100' });
    expect(r.status, r.stderr).toBe(0);
    for (const m of r.machines) {
      expect([prov(m, 'wan')?.env.ZINC_WAN_DELAY_MS, prov(m, 'wan')?.env.ZINC_WAN_RATE]).toEqual(['25', 'unlimited']);
      expect(m.networks[1]?.ip).toMatch(/^192\.168\.100\.1[123]$/);
    }
    expect(r.machines.map((m) => m.networks[0]?.ip)).toEqual(['192.168.101.10', '192.168.102.10', '192.168.103.10']);
  });

  it('refuses malformed settings before any VM is touched', () => {
    for (const [k, v, msg] of [
      ['ZINC_WAN_RATE', '20mbps', /ZINC_WAN_RATE="20mbps" is not unlimited or a tc rate/],
      ['ZINC_WAN_DELAY_MS', '40ms', /ZINC_WAN_DELAY_MS="40ms" is not a whole number of milliseconds/],
      ['ZINC_NET_BASE', '253', /ZINC_NET_BASE must be 0-252/],
      ['ZINCD_EXTRA_ARGS', '--x "$(id)"', /ZINCD_EXTRA_ARGS=.* is not plain zincd flags/],
      ['ZINC_TLS', 'yes', /ZINC_TLS="yes" is not on or off/],
    ] as const) {
      const r = evalVagrantfile({ [k]: v });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(msg);
      // Refused before anything was made.
      expect(existsSync(pkiOf(r.checkout))).toBe(false);
    }
  });

  it('syncs the whole checkout to /vagrant by rsync, without build outputs, .git, .vagrant, CA keys or the other VMs\' keys', () => {
    // One synced folder per VM (each excludes the other VMs' keys), none for all.
    expect(def.root?.children.vm?.calls.find((c) => c.call === 'synced_folder')).toBeUndefined();
    for (const m of def.machines) {
      expect(m.syncedFolders).toHaveLength(1);
      const sf = m.syncedFolders[0];
      expect(sf?.args).toEqual([def.checkout, '/vagrant']);
      expect(sf?.opts.type).toBe('rsync');
      const ex = sf?.opts.rsync__exclude as string[];
      expect(ex).toEqual(expect.arrayContaining(['/.git/', '/node_modules/', '/dist/', '/build/', '.vagrant/', '/infra/vagrant/.pki/*-ca-key.pem']));
      const pkiExcludes = ex.filter((e) => e.includes('.pki'));
      const others = def.machines.filter((o) => o !== m).map((o) => `/infra/vagrant/.pki/${o.name}-${o.hostname}-key.pem`);
      expect(new Set(pkiExcludes)).toEqual(new Set(['/infra/vagrant/.pki/*-ca-key.pem', '/infra/vagrant/.pki/.lock', ...others]));
    }
  });

  it.skipIf(!has('rsync'))(skipped('rsync with those excludes brings each VM the bundle, the certificates and its own key only', 'rsync'), () => {
    expect(def.status, def.stderr).toBe(0);
    for (const m of def.machines) {
      const guest = join(tmp, `guest-${m.name}`);
      // What Vagrant's rsync helper runs (plugins/synced_folders/rsync/helper.rb), locally.
      const ex = (m.syncedFolders[0]?.opts.rsync__exclude as string[]).flatMap((e) => ['--exclude', e]);
      const r = run('rsync', ['--archive', '--delete', '--copy-links', ...ex, `${def.checkout}/`, `${guest}/`]);
      expect(r.status, r.stderr).toBe(0);
      const pki = join(guest, 'infra', 'vagrant', '.pki');
      expect(readdirSync(pki).sort()).toEqual(
        ['bundle.pem', 'd1-ca.pem', 'd2-ca.pem', 'd3-ca.pem', 'd1-d1-h1.pem', 'd2-d2-h1.pem', 'd3-d3-h1.pem', `${m.name}-${m.hostname}-key.pem`].sort(),
      );
      expect(statSync(join(pki, `${m.name}-${m.hostname}-key.pem`)).mode & 0o777).toBe(0o600);
    }
  });

  it('makes the PKI on this machine when evaluated: zincd accepts each VM\'s files, which name its two addresses', () => {
    expect(def.status, def.stderr).toBe(0);
    const pki = pkiOf(def.checkout);
    expect(def.stderr).toMatch(/infra\/vagrant: wrote .*bundle\.pem/);
    for (const m of def.machines) {
      const id = `${m.name}-${m.hostname}`;
      const tls = loadTlsMaterial({ ca: join(pki, 'bundle.pem'), cert: join(pki, `${id}.pem`), key: join(pki, `${id}-key.pem`) }, m.hostname, m.name);
      expect(tls.identity).toEqual({ host: m.hostname, domain: m.name });
      expect(tls.trust.domains).toEqual(['d1', 'd2', 'd3']);
      const san = new X509Certificate(readFileSync(join(pki, `${id}.pem`))).subjectAltName;
      expect(san).toBe(`URI:zinc://${m.name}/${m.hostname}, IP Address:${m.networks[0]?.ip}, IP Address:${m.networks[1]?.ip}`);
    }
  });

  it('keeps the PKI on the next evaluation, and makes new host certificates (same CAs) when the addresses change', () => {
    const checkout = checkoutCopy();
    const pki = pkiOf(checkout);
    expect(evalVagrantfile({}, checkout).status).toBe(0);
    const before = Object.fromEntries(readdirSync(pki).map((f) => [f, readFileSync(join(pki, f), 'utf8')]));
    const again = evalVagrantfile({}, checkout);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toBe('');
    for (const [f, text] of Object.entries(before)) expect(readFileSync(join(pki, f), 'utf8'), f).toBe(text);

    const moved = evalVagrantfile({ ZINC_NET_BASE: '100' }, checkout);
    expect(moved.status, moved.stderr).toBe(0);
    for (const f of ['bundle.pem', 'd1-ca.pem', 'd1-ca-key.pem']) expect(readFileSync(join(pki, f), 'utf8'), f).toBe(before[f]);
    expect(readFileSync(join(pki, 'd1-d1-h1.pem'), 'utf8')).not.toBe(before['d1-d1-h1.pem']);
    expect(new X509Certificate(readFileSync(join(pki, 'd1-d1-h1.pem'))).subjectAltName).toBe('URI:zinc://d1/d1-h1, IP Address:192.168.101.10, IP Address:192.168.100.11');
  });

  it('ZINC_TLS=off makes no PKI and tells provision/zinc.sh (which runs zincd with --insecure)', () => {
    const r = evalVagrantfile({ ZINC_TLS: 'off' });
    expect(r.status, r.stderr).toBe(0);
    for (const m of r.machines) expect(prov(m, 'zinc')?.env.ZINC_TLS).toBe('off');
    expect(existsSync(pkiOf(r.checkout))).toBe(false);
  });
});

const HOSTS = [
  ['d1', 'd1-h1', ['192.168.61.10', '192.168.60.11']],
  ['d2', 'd2-h1', ['192.168.62.10', '192.168.60.12']],
  ['d3', 'd3-h1', ['192.168.63.10', '192.168.60.13']],
] as const;

/** Runs pki.rb into `dir`; the files it says it wrote (names only). */
function pkiRb(dir: string): string[] {
  const r = run('ruby', [PKI_RB, dir, ...HOSTS.map(([d, h, ips]) => `${d}:${h}:${ips.join(',')}`)], { env: cleanEnv() });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean).map((f) => relative(dir, f));
}

/** An extension's type and criticality, and for the ones zincd or TLS look at, its content. */
function extShape(e: x509.Extension): unknown {
  const base = { type: e.type, critical: e.critical };
  if (e instanceof x509.BasicConstraintsExtension) return { ...base, ca: e.ca, pathLength: e.pathLength };
  if (e instanceof x509.KeyUsagesExtension) return { ...base, usages: e.usages };
  if (e instanceof x509.ExtendedKeyUsageExtension) return { ...base, usages: e.usages };
  if (e instanceof x509.SubjectAlternativeNameExtension) return { ...base, names: e.names.items.map((n) => n.type) };
  return base;
}

describe.skipIf(!has('ruby'))(skipped('pki.rb: the grid\'s PKI, made with Ruby\'s openssl as zinc tls makes it', 'ruby'), () => {
  const dir = join(tmp, 'pki-rb');
  const written = has('ruby') ? pkiRb(dir) : [];
  const pem = (f: string) => readFileSync(join(dir, f), 'utf8');

  it('writes a CA per domain, a certificate per host and the bundle; keys 0600, certificates 0644, the directory 0700', () => {
    expect(new Set(written)).toEqual(
      new Set(['bundle.pem', ...HOSTS.flatMap(([d, h]) => [`${d}-ca.pem`, `${d}-ca-key.pem`, `${d}-${h}.pem`, `${d}-${h}-key.pem`])]),
    );
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of written) expect({ f, mode: statSync(join(dir, f)).mode & 0o777 }).toEqual({ f, mode: f.endsWith('-key.pem') ? 0o600 : 0o644 });
    for (const f of written.filter((f) => f.endsWith('-key.pem'))) expect(pem(f)).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(pem('bundle.pem')).toBe(HOSTS.map(([d]) => pem(`${d}-ca.pem`)).join(''));
  });

  it('CAs: CA:true pathlen 0, keyCertSign + cRLSign, SAN URI zinc://DOMAIN, self-signed, 5 years', () => {
    for (const [d] of HOSTS) {
      const ca = new X509Certificate(pem(`${d}-ca.pem`));
      expect(ca.ca).toBe(true);
      expect(ca.subjectAltName).toBe(`URI:zinc://${d}`);
      expect(ca.subject).toBe(`CN=zinc CA ${d}\nO=${d}`);
      expect(ca.issuer).toBe(ca.subject);
      expect(ca.verify(ca.publicKey)).toBe(true);
      const days = (Date.parse(ca.validTo) - Date.parse(ca.validFrom)) / 86_400_000;
      expect(Math.round(days)).toBe(1825);
      const px = new x509.X509Certificate(pem(`${d}-ca.pem`));
      expect(px.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: true, pathLength: 0, critical: true });
      expect(px.getExtension(x509.KeyUsagesExtension)).toMatchObject({ usages: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, critical: true });
    }
  });

  it('host certificates: zinc://DOMAIN/HOST and the addresses, signed by their domain\'s CA, server and client auth, 1 year', () => {
    for (const [d, h, ips] of HOSTS) {
      const ca = new X509Certificate(pem(`${d}-ca.pem`));
      const cert = new X509Certificate(pem(`${d}-${h}.pem`));
      expect(cert.subjectAltName).toBe([`URI:zinc://${d}/${h}`, ...ips.map((ip) => `IP Address:${ip}`)].join(', '));
      expect(identityOfCertificate(cert)).toEqual({ domain: d, host: h });
      expect(cert.ca).toBe(false);
      expect(cert.issuer).toBe(ca.subject);
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.checkPrivateKey(createPrivateKey(pem(`${d}-${h}-key.pem`)))).toBe(true);
      // node:crypto calls the extended key usages keyUsage.
      expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
      const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
      expect(Math.round(days)).toBe(365);
      const px = new x509.X509Certificate(pem(`${d}-${h}.pem`));
      expect(px.getExtension(x509.KeyUsagesExtension)).toMatchObject({ usages: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, critical: true });
      const aki = px.getExtension(x509.AuthorityKeyIdentifierExtension);
      const ski = new x509.X509Certificate(pem(`${d}-ca.pem`)).getExtension(x509.SubjectKeyIdentifierExtension);
      expect(aki?.keyId).toBe(ski?.keyId);
      // A certificate of another domain's CA is not this one's issuer.
      const other = new X509Certificate(pem(`${d === 'd1' ? 'd2' : 'd1'}-ca.pem`));
      expect(cert.checkIssued(other)).toBe(false);
    }
  });

  it('has exactly the names and extensions zinc tls ca create / cert create make (daemon/security/pki.ts)', async () => {
    const ca = await createCa('d1', 1825);
    const host = await createHostCert(ca, { domain: 'd1', host: 'd1-h1', ips: ['192.168.61.10', '192.168.60.11'], dns: [], days: 365 });
    const pairs: Array<[string, string]> = [
      [pem('d1-ca.pem'), ca.cert],
      [pem('d1-d1-h1.pem'), host.cert],
    ];
    for (const [mine, theirs] of pairs) {
      const a = new x509.X509Certificate(mine);
      const b = new x509.X509Certificate(theirs);
      expect(a.subject).toBe(b.subject);
      expect(a.issuer).toBe(b.issuer);
      expect(a.signatureAlgorithm).toEqual(b.signatureAlgorithm);
      expect(a.publicKey.algorithm).toEqual(b.publicKey.algorithm);
      expect(a.extensions.map(extShape)).toEqual(b.extensions.map(extShape));
    }
    // The key files are the same kind (PKCS#8).
    expect(pem('d1-d1-h1-key.pem').split('\n')[0]).toBe(host.key.split('\n')[0]);
  });

  it('zincd accepts each host\'s files (tls-files.ts), and each host accepts the others as peers (trust.ts)', () => {
    for (const [d, h] of HOSTS) {
      const tls = loadTlsMaterial({ ca: join(dir, 'bundle.pem'), cert: join(dir, `${d}-${h}.pem`), key: join(dir, `${d}-${h}-key.pem`) }, h, d);
      expect(tls.identity).toEqual({ host: h, domain: d });
      for (const [pd, ph] of HOSTS) {
        const raw = new X509Certificate(pem(`${pd}-${ph}.pem`)).raw;
        // The addresses in the certificate play no part: zincd checks the zinc:// identity only.
        expect(tls.trust.verifyPeer(raw)).toEqual({ ok: true, identity: { host: ph, domain: pd } });
      }
    }
  });

  it('is idempotent: a second run writes nothing; a missing file is made again with only what depends on it', () => {
    const snapshot = () => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    const before = snapshot();
    expect(pkiRb(dir)).toEqual([]);
    expect(snapshot()).toEqual(before);
    // A host's certificate: only that host's pair.
    rmSync(join(dir, 'd2-d2-h1.pem'));
    expect(pkiRb(dir).sort()).toEqual(['d2-d2-h1-key.pem', 'd2-d2-h1.pem']);
    // A CA's key: that CA, the bundle, and that domain's host; the other domains keep theirs.
    const mid = snapshot();
    rmSync(join(dir, 'd1-ca-key.pem'));
    expect(pkiRb(dir).sort()).toEqual(['bundle.pem', 'd1-ca-key.pem', 'd1-ca.pem', 'd1-d1-h1-key.pem', 'd1-d1-h1.pem']);
    const after = snapshot();
    for (const f of ['d2-ca.pem', 'd2-ca-key.pem', 'd2-d2-h1.pem', 'd3-ca.pem', 'd3-d3-h1-key.pem']) expect(after[f], f).toBe(mid[f]);
    loadTlsMaterial({ ca: join(dir, 'bundle.pem'), cert: join(dir, 'd1-d1-h1.pem'), key: join(dir, 'd1-d1-h1-key.pem') }, 'd1-h1', 'd1');
  });

  it('refuses a name zincd would refuse, and writes nothing', () => {
    const bad = join(tmp, 'pki-bad');
    const r = run('ruby', [PKI_RB, bad, 'd1:no/slash:10.0.0.1'], { env: cleanEnv() });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad host "no\/slash"/);
    expect(existsSync(bad)).toBe(false);
  });
});

describe.skipIf(!has('vagrant'))(skipped('vagrant validate', 'vagrant'), () => {
  it('accepts the Vagrantfile (provider settings ignored: no hypervisor here), making the PKI', () => {
    // A copy of infra/vagrant (the Vagrantfile makes .pki next to it), its own dot-directory and
    // home, so that validating leaves nothing in the checkout or in ~.
    const checkout = checkoutCopy();
    const env = cleanEnv({ VAGRANT_DOTFILE_PATH: join(tmp, 'dot'), VAGRANT_HOME: join(tmp, 'vagrant-home'), VAGRANT_CHECKPOINT_DISABLE: '1' });
    const r = run('vagrant', ['validate', '--ignore-provider'], { env, cwd: join(checkout, 'infra', 'vagrant') });
    expect(r.stdout + r.stderr).toMatch(/Vagrantfile validated successfully/);
    expect(r.status).toBe(0);
    expect(existsSync(join(pkiOf(checkout), 'bundle.pem'))).toBe(true);
    expect(() => statSync(join(DIR, '.vagrant'))).toThrow();
  }, 120_000);
});
