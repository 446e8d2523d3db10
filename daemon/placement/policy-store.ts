/** The active policy chain, persisted in <state>/policy.json so it survives restarts. */
import { readFileSync } from 'node:fs';
import { errorMessage } from '../common/zinc-error.js';
import type { Logger } from '../log.js';
import { writeFileAtomic } from '../store/atomic.js';
import { chainFromJSON, chainToJSON, DEFAULT_CHAIN, type ChainSpec } from './chain.js';
import { PolicyFileInvalidError } from './errors.js';
import type { PolicyRegistry } from './registry.js';

export function loadChain(path: string, registry: PolicyRegistry, log: Logger): ChainSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return DEFAULT_CHAIN;
  }
  try {
    return chainFromJSON(JSON.parse(text), registry);
  } catch (err) {
    log.warn({ path, err: new PolicyFileInvalidError(path, errorMessage(err)).message }, 'ignoring the saved policy; using the default chain');
    return DEFAULT_CHAIN;
  }
}

export function saveChain(path: string, chain: ChainSpec): Promise<void> {
  return writeFileAtomic(path, JSON.stringify(chainToJSON(chain), null, 2));
}
