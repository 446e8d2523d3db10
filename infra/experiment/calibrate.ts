/**
 * Calibration of the simulator's migration-cost model on the real lab (docs/experiment.md,
 * "Calibration"): build the configuration's lab, and from one source host migrate a running burn
 * job of every configured footprint to a host of its own domain (LAN) and to a host of every other
 * domain (WAN), `repeats` times each, recording the downtime zincd reports. Then fit
 * T = fixedMs + perRtt · RTT + msPerMiB · MiB + wire time ÷ efficiency (sim/migration-cost.ts) and
 * write calibration.json and calibration.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lab } from '../lab/lab.js';
import { hostsOf, type ExperimentConfig } from './config.js';
import { LabClient } from './lab-client.js';
import { labTopology } from './lab-topology.js';
import { burnArgv } from './lab-runner.js';
import { fitMigrationModel, migrationMs, type MigrationSample, type ModelFit } from './sim/migration-cost.js';
import { Network } from './sim/network.js';

export interface CalibrationResult {
  readonly samples: readonly MigrationSample[];
  readonly fit: ModelFit;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function calibrate(o: { config: ExperimentConfig; repeats: number; outDir: string; signal: AbortSignal; log: (line: string) => void }): Promise<CalibrationResult> {
  const { config, log } = o;
  const hosts = hostsOf(config.topology);
  const network = new Network(config.topology, config.sim.lanRateUnlimited);
  const domains = config.topology.domains.map((d) => d.name);
  const home = domains.find((d) => hosts.filter((h) => h.domain === d).length >= 2) ?? domains[0] ?? '';
  const inHome = hosts.filter((h) => h.domain === home);
  const source = inHome[0];
  if (!source) throw new Error('the topology has no hosts');
  const targets = [...(inHome[1] ? [inHome[1]] : []), ...domains.filter((d) => d !== home).map((d) => hosts.find((h) => h.domain === d)).filter((h) => h !== undefined)];

  log(`building lab ${config.lab.name} for calibration`);
  const lab = await Lab.up({ name: config.lab.name, topology: labTopology(config.topology), peering: 'full', daemonArgs: config.lab.daemonArgs, signal: o.signal, log });
  const client = new LabClient(new Map(lab.hosts().map((h) => [h.id, h.socket])));
  const samples: MigrationSample[] = [];
  try {
    await sleep(3000); // a few gossip rounds, so that every host knows the others' addresses
    for (const target of targets) {
      const path = network.path(source.domain, target.domain);
      for (const bytes of config.workload.memory.sizes) {
        for (let k = 0; k < o.repeats && !o.signal.aborted; k++) {
          const { gpid } = await client.submitTo(source.id, burnArgv({ cpuMs: 600_000, memBytes: bytes }), 'calibrate');
          await sleep(1500); // running, its memory touched
          const s = await client.migrate(source.id, gpid, target.id);
          const label = source.domain === target.domain ? `LAN ${source.domain}` : `${source.domain}→${target.domain}`;
          samples.push({ bytes: Number(s.bytes), rateBps: path.rateBps, rttMs: path.rttMs, ms: Number(s.downtimeMs), label });
          log(`${label}: ${(Number(s.bytes) / 1048576).toFixed(1)} MiB, downtime ${Math.round(Number(s.downtimeMs))} ms (total ${Math.round(Number(s.totalMs))} ms)`);
          await client.kill(source.id, gpid).catch(() => undefined);
        }
      }
    }
  } finally {
    client.close();
    await lab.down();
  }
  const fit = fitMigrationModel(samples, `zinc-experiment calibrate ${config.name}, ${samples.length} migrations, ${new Date().toISOString().slice(0, 10)}`);
  writeFileSync(join(o.outDir, 'calibration.json'), JSON.stringify({ model: fit.model, n: fit.n, rmsMs: fit.rmsMs, r2: fit.r2, samples }, null, 2) + '\n');
  writeFileSync(join(o.outDir, 'calibration.md'), renderCalibration(fit, samples));
  return { samples, fit };
}

export function renderCalibration(fit: ModelFit, samples: readonly MigrationSample[]): string {
  const m = fit.model;
  const lines = [
    '# Migration-cost calibration',
    '',
    `Fitted on ${fit.n} migrations: T = ${m.fixedMs.toFixed(0)} ms + ${m.perRtt.toFixed(2)} × RTT + ${m.msPerMiB.toFixed(2)} ms/MiB × size + wire time ÷ ${m.efficiency.toFixed(2)}` +
      ` (RMS error ${fit.rmsMs.toFixed(0)} ms, R² ${fit.r2.toFixed(3)}).`,
    '',
    'Put this in the configuration\'s `sim.migration`:',
    '',
    '```json',
    JSON.stringify({ fixedMs: round(m.fixedMs), perRtt: round(m.perRtt), msPerMiB: round(m.msPerMiB), efficiency: round(m.efficiency), source: m.source }, null, 2),
    '```',
    '',
    '| path | size (MiB) | nominal RTT (ms) | rate (Mbit/s) | downtime (ms) | model (ms) |',
    '| :--- | ---: | ---: | ---: | ---: | ---: |',
    ...samples.map(
      (s) =>
        `| ${s.label ?? ''} | ${(s.bytes / 1048576).toFixed(1)} | ${s.rttMs.toFixed(1)} | ${(s.rateBps / 1e6).toFixed(0)} | ${Math.round(s.ms)} | ${Math.round(migrationMs(m, s.bytes, { rateBps: s.rateBps, rttMs: s.rttMs }))} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
