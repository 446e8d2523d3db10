/** Global process ids: "<home-host>.<seq>", e.g. "frodo-1.42". Host ids never contain dots. */
import { NAME_RE } from '../config/schema.js';

export interface Gpid {
  home: string;
  seq: number;
}

export function formatGpid(home: string, seq: number): string {
  return `${home}.${seq}`;
}

export function parseGpid(text: string): Gpid | undefined {
  const dot = text.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const home = text.slice(0, dot);
  const seqText = text.slice(dot + 1);
  if (!NAME_RE.test(home) || !/^[1-9]\d{0,15}$/.test(seqText)) return undefined;
  const seq = Number(seqText);
  // Above 2^53 two texts parse to the same number, and seq + 1 === seq: refuse them.
  if (!Number.isSafeInteger(seq)) return undefined;
  return { home, seq };
}
