/** Signal names as users type them: "TERM", "SIGTERM", "15", "sigterm". */
import { constants } from 'node:os';

const BY_NUMBER = new Map<number, NodeJS.Signals>(
  Object.entries(constants.signals).map(([name, num]) => [num, name as NodeJS.Signals]),
);

export function parseSignal(text: string): NodeJS.Signals | undefined {
  const t = text.trim().toUpperCase();
  if (t === '') return undefined;
  if (/^\d+$/.test(t)) return BY_NUMBER.get(Number(t));
  const name = t.startsWith('SIG') ? t : `SIG${t}`;
  return name in constants.signals ? (name as NodeJS.Signals) : undefined;
}

export function signalName(num: number): string {
  return BY_NUMBER.get(num) ?? `SIG${num}`;
}

export function signalNumber(name: string): number | undefined {
  return (constants.signals as Record<string, number>)[name];
}
