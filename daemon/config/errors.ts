import { ZincError } from '../common/zinc-error.js';

export class ConfigError extends ZincError {
  readonly code = 'CONFIG_INVALID';
  override readonly kind = 'invalid';
  constructor(message: string, readonly source: string, hint = 'Fix the value and start zincd again; `zincd --help` lists every option') {
    super(message, { hint, context: { source } });
  }
}

export class ConfigFileError extends ZincError {
  readonly code = 'CONFIG_FILE_UNREADABLE';
  override readonly kind = 'invalid';
  constructor(readonly path: string, detail: string) {
    super(`cannot read config file ${path}: ${detail}`, {
      hint: 'Check the path and that the file is valid JSON (see docs/config.md)',
      context: { path },
    });
  }
}
