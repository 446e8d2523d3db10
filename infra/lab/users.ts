/**
 * The lab is one organisation: every domain's accounts, root included, are the same accounts on
 * every host (one machine underneath). zincd refuses users of other domains it cannot map
 * (docs/security.md, "Users across domains"), so each lab zincd gets this map.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const labUserMapFile = (labDir: string): string => join(labDir, 'user-map.json');

export function writeLabUserMap(labDir: string): void {
  writeFileSync(labUserMapFile(labDir), `${JSON.stringify({ '*': { '*': '=', root: 'root' } }, null, 2)}\n`, { mode: 0o644 });
}
