/**
 * The compatibility programs: every test/compat/*.c, built into build/compat/ by
 * scripts/build.mjs. Each tests one kind of process state (see README.md for the protocol).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const COMPAT_SRC = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(COMPAT_SRC, '..', '..');
export const COMPAT_BIN = join(ROOT, 'build', 'compat');
export const REAPER = join(ROOT, 'build', 'compat-reaper');

export interface Program {
  name: string;
  path: string;
  args: string[];
  /** The first sentence of the source's header comment. */
  what: string;
}

/** Arguments that keep the suite's run time and memory reasonable on a 2-core machine. */
const ARGS: Record<string, string[]> = {
  large_memory: ['128'], // MiB
  many_mappings: ['4096'], // one-page mappings
};

function describe(src: string): string {
  const m = /\/\*\s*([\s\S]*?)\*\//.exec(readFileSync(src, 'utf8'));
  const text = (m?.[1] ?? '').replace(/\s*\n\s*\*?\s*/g, ' ').trim();
  return /^(.*?\.)(\s|$)/.exec(text)?.[1] ?? text;
}

/** Every program, sorted; `only` (comma-separated names, e.g. from ZINC_COMPAT_ONLY) narrows it. */
export function programs(only?: string): Program[] {
  const want = only ? new Set(only.split(',').map((s) => s.trim()).filter(Boolean)) : undefined;
  return readdirSync(COMPAT_SRC)
    .filter((f) => f.endsWith('.c'))
    .map((f) => f.slice(0, -2))
    .filter((n) => !want || want.has(n))
    .sort()
    .map((name) => ({ name, path: join(COMPAT_BIN, name), args: ARGS[name] ?? [], what: describe(join(COMPAT_SRC, `${name}.c`)) }));
}

/** undefined when every program is built, else what is missing. */
export function missingBinaries(list: readonly Program[]): string | undefined {
  const absent = [...list.map((p) => p.path), REAPER].filter((p) => !existsSync(p));
  return absent.length ? `not built: ${absent.join(', ')} (run \`npm run build\`)` : undefined;
}
