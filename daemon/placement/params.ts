/**
 * Policy parameters arrive as strings (`--param k=v`, policy.json). Each plugin declares a zod
 * schema over those strings built from the helpers here, and `parseParams` turns the defaults
 * merged with the overrides into the plugin's typed params, or into an error that names the key.
 */
import { z } from 'zod';
import { parseDuration, parseSize } from '../common/units.js';
import { PolicyParamInvalidError, PolicyParamUnknownError } from './errors.js';

type Raw = Readonly<Record<string, string>>;

/** A finite number within [min, max]. */
export function num(min = -Infinity, max = Infinity): z.ZodType<number> {
  return z.string().transform((s, ctx) => {
    const v = s.trim() === '' ? NaN : Number(s);
    if (!Number.isFinite(v) || v < min || v > max) {
      const range = min > -Infinity && max < Infinity ? `between ${min} and ${max}` : min > -Infinity ? `≥ ${min}` : max < Infinity ? `≤ ${max}` : 'finite';
      ctx.addIssue({ code: 'custom', message: `expected a number ${range}` });
      return z.NEVER;
    }
    return v;
  });
}

/** A whole number within [min, max]. */
export function int(min = 0, max = Number.MAX_SAFE_INTEGER): z.ZodType<number> {
  return z.string().transform((s, ctx) => {
    const v = /^\s*-?\d+\s*$/.test(s) ? Number(s) : NaN;
    if (!Number.isSafeInteger(v) || v < min || v > max) {
      ctx.addIssue({ code: 'custom', message: `expected a whole number${max < Number.MAX_SAFE_INTEGER ? ` between ${min} and ${max}` : ` ≥ ${min}`}` });
      return z.NEVER;
    }
    return v;
  });
}

const TRUE = new Set(['true', 'on', 'yes', '1']);
const FALSE = new Set(['false', 'off', 'no', '0']);

export function bool(): z.ZodType<boolean> {
  return z.string().transform((s, ctx) => {
    const v = s.trim().toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    ctx.addIssue({ code: 'custom', message: 'expected true or false (on/off, yes/no)' });
    return z.NEVER;
  });
}

/** A duration in ms ("500ms", "3s", "2m"; a bare number is seconds, as everywhere in zinc). */
export function duration(): z.ZodType<number> {
  return z.string().transform((s, ctx) => {
    const ms = parseDuration(s);
    if (ms === undefined || ms < 0) {
      ctx.addIssue({ code: 'custom', message: 'expected a duration such as 500ms, 3s or 2m' });
      return z.NEVER;
    }
    return ms;
  });
}

/** A duration, or "auto" (undefined: the plugin derives it from the gossip thresholds). */
export function durationOrAuto(): z.ZodType<number | undefined> {
  return z.string().transform((s, ctx) => {
    if (s.trim() === '' || s.trim().toLowerCase() === 'auto') return undefined;
    const ms = parseDuration(s);
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: 'expected "auto" or a duration such as 5s' });
      return z.NEVER;
    }
    return ms;
  });
}

/** A size in bytes ("512M", "2G"; binary multiples as in --mem). */
export function size(): z.ZodType<number> {
  return z.string().transform((s, ctx) => {
    const b = parseSize(s);
    if (b === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected a size such as 0, 512M or 2G' });
      return z.NEVER;
    }
    return b;
  });
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** A comma-separated list of names (domains, hosts); empty = none. */
export function nameList(): z.ZodType<readonly string[]> {
  return z.string().transform((s, ctx) => {
    const items = s
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x.length > 0);
    const bad = items.find((x) => !NAME.test(x));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `"${bad}" is not a name (letters, digits, '-' or '_')` });
      return z.NEVER;
    }
    return items;
  });
}

/**
 * Validates `overrides` against a plugin: every key must be declared in `defaults` (so a typo is
 * caught, not silently ignored), and the merged map must satisfy the schema.
 */
export function parseParams<P>(policy: string, defaults: Raw, schema: z.ZodType<P>, overrides: Raw): { params: P; effective: Record<string, string> } {
  const known = Object.keys(defaults);
  for (const key of Object.keys(overrides)) {
    if (!Object.hasOwn(defaults, key)) throw new PolicyParamUnknownError(policy, key, known);
  }
  const effective: Record<string, string> = { ...defaults, ...overrides };
  const r = schema.safeParse(effective);
  if (!r.success) {
    const issue = r.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    if (issue?.code === 'unrecognized_keys') throw new PolicyParamUnknownError(policy, issue.keys[0] ?? '?', known);
    throw new PolicyParamInvalidError(policy, key || '?', effective[key] ?? '', issue?.message ?? 'rejected');
  }
  return { params: r.data, effective };
}
