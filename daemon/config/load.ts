/**
 * Builds zincd's Config from an optional JSON config file and command-line flags.
 * Flags win over the file. Every problem is reported as a ConfigError naming the field and source.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, ConfigFileError } from './errors.js';
import { configSchema, finishConfig, type Config, type ConfigInput } from './schema.js';

export function loadConfig(flags: Partial<ConfigInput>, configPath?: string): Config {
  let fromFile: Record<string, unknown> = {};
  if (configPath) {
    let text: string;
    try {
      text = readFileSync(configPath, 'utf8');
    } catch (err) {
      throw new ConfigFileError(configPath, (err as NodeJS.ErrnoException).code ?? String(err));
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error('the top level must be an object');
      }
      fromFile = parsed as Record<string, unknown>;
    } catch (err) {
      throw new ConfigFileError(configPath, `not valid JSON: ${(err as Error).message}`);
    }
  }
  const merged: Record<string, unknown> = { ...fromFile };
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) merged[k] = v;
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join('.') || '(config)';
    const source = field in flags && flags[field as keyof ConfigInput] !== undefined ? 'flag' : configPath ?? 'defaults';
    const message =
      issue?.code === 'unrecognized_keys'
        ? `unknown setting ${(issue as z.core.$ZodIssueUnrecognizedKeys).keys.join(', ')} in ${source}`
        : `invalid ${field} (${source}): ${issue?.message ?? 'invalid'}`;
    throw new ConfigError(message, source);
  }
  return finishConfig(result.data);
}
