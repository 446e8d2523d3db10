/** The CRIU this daemon uses: located and version-checked once, on first use. */
import { CriuNotFoundError, CriuTooOldError } from '../criu/errors.js';
import { requireCriu } from '../criu/locate.js';
import { isSupportedCriuVersion, MIN_CRIU_VERSION, parseCriuVersion, runCriu, type CriuVersion } from '../criu/probe.js';

export interface Criu {
  path: string;
  version: CriuVersion;
}

export class CriuResolver {
  private cached: Promise<Criu> | undefined;

  constructor(private readonly explicit: string | undefined) {}

  get(): Promise<Criu> {
    this.cached ??= this.resolve().catch((err: unknown) => {
      this.cached = undefined; // try again next time (e.g. after criu/install)
      throw err;
    });
    return this.cached;
  }

  private async resolve(): Promise<Criu> {
    const found = await requireCriu(this.explicit ? { explicit: this.explicit } : {});
    const run = await runCriu(found.path, ['--version'], { timeoutMs: 20_000 });
    const version = parseCriuVersion(run.stdout + run.stderr);
    if (!version) throw new CriuNotFoundError({ tried: [found.path], reason: `${found.path} --version printed no version`, hint: 'Run criu/install as root' });
    if (!isSupportedCriuVersion(version)) {
      throw new CriuTooOldError({ binary: found.path, version: version.text, minimum: MIN_CRIU_VERSION.text, hint: 'Run criu/install as root to get CRIU >= 4.1' });
    }
    return { path: found.path, version };
  }
}
