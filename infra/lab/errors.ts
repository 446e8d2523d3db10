import { ZincError } from '../../daemon/common/zinc-error.js';

/** Root is needed for namespaces, mounts and cgroups. */
export class LabNotRootError extends ZincError {
  readonly code = 'LAB_NOT_ROOT';
  constructor() {
    super('zinc-lab needs root (network namespaces, mounts and cgroups)', {
      hint: 'Run it as root, e.g. with sudo',
    });
  }
}

/** Flags, options or a topology file that do not make a valid lab. */
export class LabOptionsError extends ZincError {
  readonly code = 'LAB_BAD_OPTIONS';
  constructor(detail: string, hint = 'Run `zinc-lab up --help` and see docs/lab.md for the topology format') {
    super(`invalid lab options: ${detail}`, { hint, context: { detail } });
  }
}

/** A program or file the lab depends on is missing. */
export class LabToolMissingError extends ZincError {
  readonly code = 'LAB_TOOL_MISSING';
  constructor(
    readonly tool: string,
    hint: string,
  ) {
    super(`zinc-lab needs ${tool}, which was not found`, { hint, context: { tool } });
  }
}

/** An external command (ip, tc, mount, …) failed. */
export class LabCommandError extends ZincError {
  readonly code = 'LAB_COMMAND_FAILED';
  constructor(
    readonly argv: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    const detail = stderr.trim().split('\n').slice(-3).join(' | ');
    super(`command failed (exit ${exitCode ?? 'signal'}): ${argv.join(' ')}${detail ? `: ${detail}` : ''}`, {
      hint: 'The lab was rolled back; check that nothing else uses the same lab name and retry',
      context: { command: argv.join(' '), exitCode: exitCode ?? -1 },
    });
  }
}

/** No lab of this name is recorded in /run/zinc-lab. */
export class LabNotFoundError extends ZincError {
  readonly code = 'LAB_NOT_FOUND';
  constructor(readonly lab: string) {
    super(`no lab named "${lab}" is running`, {
      hint: `Start it with \`zinc-lab up --name ${lab} …\`, or list labs with \`ls /run/zinc-lab\``,
      context: { lab },
    });
  }
}

/** The state file exists but is not one zinc-lab wrote (or an older format). */
export class LabStateError extends ZincError {
  readonly code = 'LAB_STATE_INVALID';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`lab state file ${path} is invalid: ${detail}`, {
      hint: 'Remove the lab with `zinc-lab down --name NAME` (it works without a valid state file)',
      context: { path },
    });
  }
}

/** Another zinc-lab process is creating or removing the same lab. */
export class LabBusyError extends ZincError {
  readonly code = 'LAB_BUSY';
  constructor(
    readonly lab: string,
    readonly holderPid: number,
  ) {
    super(`lab "${lab}" is being changed by process ${holderPid}`, {
      hint: 'Wait for that zinc-lab command to finish, or use another --name',
      context: { lab, holderPid },
    });
  }
}

export class LabHostNotFoundError extends ZincError {
  readonly code = 'LAB_HOST_NOT_FOUND';
  constructor(
    readonly lab: string,
    readonly host: string,
    known: readonly string[],
  ) {
    super(`lab "${lab}" has no host "${host}"`, { hint: `Hosts are: ${known.join(', ')}`, context: { lab, host } });
  }
}

export class LabDomainNotFoundError extends ZincError {
  readonly code = 'LAB_DOMAIN_NOT_FOUND';
  constructor(
    readonly lab: string,
    readonly domain: string,
    known: readonly string[],
  ) {
    super(`lab "${lab}" has no domain "${domain}"`, { hint: `Domains are: ${known.join(', ')}`, context: { lab, domain } });
  }
}

/** zincd did not become ready (socket accepting connections) in time, or exited. */
export class LabDaemonStartError extends ZincError {
  readonly code = 'LAB_DAEMON_START_FAILED';
  constructor(
    readonly host: string,
    reason: string,
    readonly logFile: string,
    readonly logTail: string,
  ) {
    super(`zincd on ${host} did not start: ${reason}`, {
      hint: `See ${logFile}; its last lines were:\n${logTail || '(empty log)'}`,
      context: { host, logFile },
    });
  }
}

/** startDaemon on a host whose zincd is still alive. */
export class LabDaemonRunningError extends ZincError {
  readonly code = 'LAB_DAEMON_RUNNING';
  constructor(
    readonly host: string,
    readonly pid: number,
  ) {
    super(`zincd on ${host} is already running (pid ${pid})`, {
      hint: 'Kill it first with killDaemon (or `zinc-lab daemon stop`)',
      context: { host, pid },
    });
  }
}

/** The delaying relay of a WAN link did not come up. */
export class LabRelayStartError extends ZincError {
  readonly code = 'LAB_RELAY_START_FAILED';
  constructor(
    readonly domain: string,
    reason: string,
    readonly logFile: string,
  ) {
    super(`WAN relay of domain ${domain} did not start: ${reason}`, {
      hint: `See ${logFile}; rebuild it with \`node scripts/build.mjs\` if the binary is stale`,
      context: { domain, logFile },
    });
  }
}

/** Host speed emulation asked for, but no cgroup CPU controller is usable. */
export class LabNoCpuControllerError extends ZincError {
  readonly code = 'LAB_NO_CPU_CONTROLLER';
  constructor() {
    super('host speed emulation needs the cgroup cpu controller (v1 cpu.cfs_quota_us or v2 cpu.max), and neither is available', {
      hint: 'Mount the cpu controller, or give every host speed 1',
    });
  }
}

/** Cleanup could not remove everything; lists what is left. */
export class LabCleanupError extends ZincError {
  readonly code = 'LAB_CLEANUP_INCOMPLETE';
  constructor(
    readonly lab: string,
    readonly leftovers: readonly string[],
  ) {
    super(`lab "${lab}" was not fully removed: ${leftovers.join('; ')}`, {
      hint: 'Run `zinc-lab down --name ' + lab + '` again; if it persists, see docs/lab.md "Manual cleanup"',
      context: { lab, leftovers: leftovers.join('; ') },
    });
  }
}

/** `up` was interrupted (SIGINT/SIGTERM); the partial lab was removed. */
export class LabAbortedError extends ZincError {
  readonly code = 'LAB_ABORTED';
  constructor(readonly lab: string) {
    super(`creating lab "${lab}" was interrupted`, { hint: 'Everything it had created was removed', context: { lab } });
  }
}
