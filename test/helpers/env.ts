/**
 * What the machine offers the integration tests. A test that cannot run here skips with the
 * reason in its name; under CI=true a missing requirement is a failure, never a silent skip.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ZINC = join(ROOT, 'dist', 'cli', 'main.js');
export const ZINCD = join(ROOT, 'dist', 'daemon', 'main.js');
export const SHIM = join(ROOT, 'build', 'zinc-shim');

export const isRoot = process.getuid?.() === 0;
export const inCI = process.env.CI === 'true' || process.env.CI === '1';

export function criuPath(): string | undefined {
  for (const p of [process.env.ZINC_CRIU, '/opt/zinc/criu/bin/criu']) if (p && existsSync(p)) return p;
  try {
    return execFileSync('sh', ['-c', 'command -v criu'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** undefined when everything needed is present, else the reason to skip. */
export function missing(needs: { root?: boolean; criu?: boolean; build?: boolean }): string | undefined {
  const reasons: string[] = [];
  if (needs.root && !isRoot) reasons.push('needs root');
  if (needs.build !== false && (!existsSync(ZINC) || !existsSync(ZINCD) || !existsSync(SHIM))) reasons.push('needs `npm run build` first');
  if (needs.criu && !criuPath()) reasons.push('needs CRIU (run criu/install)');
  if (reasons.length === 0) return undefined;
  const reason = reasons.join(', ');
  if (inCI) throw new Error(`integration prerequisites missing in CI: ${reason}`);
  return reason;
}

/** Suite title that carries the skip reason, so a skipped suite says why. */
export function titled(name: string, reason: string | undefined): string {
  return reason ? `${name} [skipped: ${reason}]` : name;
}
