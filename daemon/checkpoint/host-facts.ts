/** Facts about this host that decide whether a checkpoint can be restored here. */
import { readFileSync } from 'node:fs';
import { arch, release } from 'node:os';

let flags: string[] | undefined;

/** CPU feature flags (from /proc/cpuinfo), the same on every core on the machines we support. */
export function cpuFlags(): string[] {
  if (!flags) {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    const line = /^flags\s*:\s*(.*)$/m.exec(text)?.[1] ?? '';
    flags = [...new Set(line.split(/\s+/).filter(Boolean))].sort();
  }
  return flags;
}

/**
 * Flags that describe the machine or the hypervisor rather than instructions a process can use;
 * a restored process cannot miss them.
 */
const NOT_ISA = new Set([
  'hypervisor', 'constant_tsc', 'nonstop_tsc', 'tsc_known_freq', 'tsc_reliable', 'tsc_deadline_timer', 'arch_perfmon',
  'rep_good', 'nopl', 'xtopology', 'cpuid', 'cpuid_fault', 'pni', 'ht', 'acpi', 'tm', 'tm2', 'pbe', 'est', 'vmx',
  'svm', 'ss', 'aperfmperf', 'pti', 'ibrs', 'ibpb', 'stibp', 'ssbd', 'md_clear', 'flush_l1d', 'arch_capabilities',
  'vnmi', 'ept', 'vpid', 'flexpriority', 'tpr_shadow', 'ept_ad', 'user_shstk', 'ibrs_enhanced', 'amd_ssbd', 'virt_ssbd',
]);

export function missingCpuFlags(required: string[], available: string[] = cpuFlags()): string[] {
  const have = new Set(available);
  return required.filter((f) => !NOT_ISA.has(f) && !f.startsWith('vmx_') && !have.has(f));
}

export function kernelRelease(): string {
  return release();
}

export function machineArch(): string {
  return arch();
}
