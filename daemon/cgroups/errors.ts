import { ZincError } from '../common/zinc-error.js';

export class CgroupUnavailableError extends ZincError {
  readonly code = 'CGROUP_UNAVAILABLE';
  constructor(detail: string) {
    super(`cgroups are not usable: ${detail}`, {
      hint: 'zincd needs a mounted cgroup v1 or v2 hierarchy and root privileges; run `zinc doctor`',
    });
  }
}

export class CgroupOperationError extends ZincError {
  readonly code = 'CGROUP_OPERATION_FAILED';
  constructor(readonly operation: string, readonly path: string, detail: string) {
    super(`cgroup ${operation} failed on ${path}: ${detail}`, {
      hint: 'Check `zinc doctor` and the kernel log; the job itself was not changed',
      context: { operation, path },
    });
  }
}
