/**
 * Static checks of infra/vagrant (the real multi-VM WAN setup). VMs cannot boot on the project's
 * machines, so this checks what can be checked anywhere: the scripts parse (bash -n) and pass
 * shellcheck, the Vagrantfile describes three VMs in three domain networks plus a WAN with netem,
 * zinc-wan issues the right ip/tc commands (run against stub ip and tc), the systemd units load,
 * and `vagrant validate` accepts the Vagrantfile. Tools that are not installed (shellcheck, ruby,
 * vagrant, systemd-analyze) skip their test, with the reason in its name.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/env.js';

const DIR = join(ROOT, 'infra', 'vagrant');
const VAGRANTFILE = join(DIR, 'Vagrantfile');
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
  it('are there: Vagrantfile, wan-check.sh, provision/{wan,zinc-wan,packages,zinc}.sh, zincd.service, README.md', () => {
    for (const f of ['Vagrantfile', 'wan-check.sh', 'zincd.service', 'README.md', 'provision/wan.sh', 'provision/zinc-wan.sh', 'provision/packages.sh', 'provision/zinc.sh']) {
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
    for (const flag of ['--host-id ${ZINC_HOST_ID}', '--domain ${ZINC_DOMAIN}', '--state-dir /var/lib/zinc', '--listen ${ZINC_LISTEN}', '--peers ${ZINC_PEERS}', '--accept-domains ${ZINC_ACCEPT_DOMAINS}', '--log-level ${ZINC_LOG_LEVEL}']) {
      expect(unit).toContain(flag);
    }
    // provision/zinc.sh writes every variable the unit uses.
    const zincSh = readFileSync(join(DIR, 'provision', 'zinc.sh'), 'utf8');
    const used = [...unit.replace(/^#.*$/gm, '').matchAll(/\$\{?([A-Z_]+)\}?/g)].map((m) => m[1]);
    const written = /for v in ([A-Z_ ]+); do\n\s+# systemd's EnvironmentFile/.exec(zincSh)?.[1]?.split(' ');
    expect(new Set(used)).toEqual(new Set(written));
    expect(used).toHaveLength(7);
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
}

function evalVagrantfile(env: Record<string, string> = {}): { status: number | null; stderr: string; root?: RecNode; machines: Machine[] } {
  const r = run('ruby', ['-e', RECORDER, VAGRANTFILE], { env: cleanEnv(env), cwd: DIR });
  if (r.status !== 0) return { status: r.status, stderr: r.stderr, machines: [] };
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
      };
    });
  return { status: r.status, stderr: r.stderr, root, machines };
}

describe.skipIf(!has('ruby'))(skipped('Vagrantfile (evaluated by ruby with a recording stub)', 'ruby'), () => {
  const def: ReturnType<typeof evalVagrantfile> = has('ruby') ? evalVagrantfile() : { status: null, stderr: '', machines: [] };
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
    ] as const) {
      const r = evalVagrantfile({ [k]: v });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(msg);
    }
  });

  it('syncs the whole checkout to /vagrant by rsync, without build outputs, .git or .vagrant', () => {
    const sf = def.root?.children.vm?.calls.find((c) => c.call === 'synced_folder');
    expect(sf?.args).toEqual([ROOT, '/vagrant']);
    expect(sf?.opts.type).toBe('rsync');
    expect(sf?.opts.rsync__exclude).toEqual(expect.arrayContaining(['/.git/', '/node_modules/', '/dist/', '/build/', '.vagrant/']));
  });
});

describe.skipIf(!has('vagrant'))(skipped('vagrant validate', 'vagrant'), () => {
  it('accepts the Vagrantfile (provider settings ignored: no hypervisor here)', () => {
    // Its own dot-directory and home, so that validating leaves nothing in the checkout or in ~.
    const env = cleanEnv({ VAGRANT_DOTFILE_PATH: join(tmp, 'dot'), VAGRANT_HOME: join(tmp, 'vagrant-home'), VAGRANT_CHECKPOINT_DISABLE: '1' });
    const r = run('vagrant', ['validate', '--ignore-provider'], { env, cwd: DIR });
    expect(r.stdout + r.stderr).toMatch(/Vagrantfile validated successfully/);
    expect(r.status).toBe(0);
    expect(() => statSync(join(DIR, '.vagrant'))).toThrow();
  }, 120_000);
});
