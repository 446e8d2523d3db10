// Build everything a checkout needs to run: TypeScript → dist/, the C helpers → build/,
// and links for zinc, zincd, zinc-lab and zinc-experiment in node_modules/.bin
// (npm does not link a package's own bins into its own node_modules/.bin).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

// 1. TypeScript.
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let failed = false;
if (existsSync(tsc)) {
  // Type errors fail the build, but only after everything else is built (tsc still emits).
  try {
    run(process.execPath, [tsc, '-p', 'tsconfig.json']);
  } catch {
    failed = true;
  }
} else if (!existsSync(join(root, 'dist'))) {
  console.error('build: typescript is not installed and dist/ is missing; run `npm ci` first');
  process.exit(1);
}

// 2. C helpers (the per-job supervisor, the breakpoint probe and the lab's delaying relay), built
//    with the system compiler.
const cc = process.env.CC ?? 'cc';
mkdirSync(join(root, 'build'), { recursive: true });
const helpers = [
  { src: 'daemon/shim/zinc-shim.c', out: 'build/zinc-shim' },
  // Whether ptrace's hardware breakpoints fire here (CRIU relies on them; see the source).
  { src: 'daemon/criu/hw-breakpoints.c', out: 'build/zinc-hwbp-probe' },
  // SO_PEERCRED for the local socket: who is calling, from the kernel (daemon/security/).
  { src: 'daemon/security/peer-cred.c', out: 'build/zinc-peercred' },
  { src: 'infra/lab/relay/zinc-relay.c', out: 'build/zinc-relay' },
  // Test and benchmark workload (memory holder with self-check, tick printer, counter).
  { src: 'test/fixtures/zinc-testjob.c', out: 'build/zinc-testjob' },
];
for (const h of helpers) {
  const src = join(root, h.src);
  if (!existsSync(src)) continue;
  const out = join(root, h.out);
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(src).mtimeMs) continue;
  run(cc, ['-O2', '-Wall', '-Wextra', '-Werror', '-std=gnu11', '-o', out, src]);
}

// 2b. The compatibility suite (test/compat/README.md): one program per kind of process state, in
//     build/compat/, and the subreaper its raw-CRIU runs restore under. Rebuilt when the program
//     or the shared protocol header changed.
const compatDir = join(root, 'test', 'compat');
if (existsSync(compatDir)) {
  mkdirSync(join(root, 'build', 'compat'), { recursive: true });
  const header = join(compatDir, 'compat.h');
  const programs = readdirSync(compatDir)
    .filter((f) => f.endsWith('.c'))
    .map((f) => ({ src: join('test', 'compat', f), out: join('build', 'compat', f.slice(0, -2)), libs: ['-pthread', '-lm'] }));
  programs.push({ src: 'test/compat/support/reaper.c', out: 'build/compat-reaper', libs: [] });
  for (const p of programs) {
    const src = join(root, p.src);
    const out = join(root, p.out);
    const newest = Math.max(statSync(src).mtimeMs, existsSync(header) ? statSync(header).mtimeMs : 0);
    if (existsSync(out) && statSync(out).mtimeMs >= newest) continue;
    run(cc, ['-O2', '-Wall', '-Wextra', '-Werror', '-std=c11', '-o', out, src, ...p.libs]);
  }
}

// 3. Executable bits and node_modules/.bin links.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const binDir = join(root, 'node_modules', '.bin');
mkdirSync(binDir, { recursive: true });
for (const [name, target] of Object.entries(pkg.bin)) {
  const abs = join(root, target);
  if (!existsSync(abs)) continue;
  chmodSync(abs, 0o755);
  const link = join(binDir, name);
  rmSync(link, { force: true });
  symlinkSync(relative(binDir, abs), link);
}

if (failed) {
  console.error('build: TypeScript reported errors (see above)');
  process.exit(1);
}
