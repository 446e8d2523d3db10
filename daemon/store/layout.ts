/**
 * The state directory is zincd's database. Everything about a job lives under jobs/<gpid>/:
 *
 *   <state>/host.json            this host's identity and GPID sequence
 *   <state>/zincd.lock           pid of the running daemon (one daemon per state dir)
 *   <state>/jobs/<gpid>/job.json the job's record (atomic writes)
 *   <state>/jobs/<gpid>/ctl/     supervisor control: argv, env, exit, shim.log, criu logs
 *   <state>/jobs/<gpid>/files/   the job's own files: stdout, stderr, work/  (travel with the job)
 *   <state>/jobs/<gpid>/checkpoints/<n>/   saved checkpoints
 *   <state>/migrations/<id>/     in-flight migrations (finished or rolled back at start-up)
 *   <state>/corrupt/             records that could not be read, moved aside
 *
 * A job's files sit at the same absolute path on every host (state dirs default to /var/lib/zinc),
 * because CRIU restores open files by path.
 */
import { join } from 'node:path';

export class StateLayout {
  constructor(readonly root: string) {}

  get hostFile(): string {
    return join(this.root, 'host.json');
  }
  get lockFile(): string {
    return join(this.root, 'zincd.lock');
  }
  get jobsDir(): string {
    return join(this.root, 'jobs');
  }
  get migrationsDir(): string {
    return join(this.root, 'migrations');
  }
  get corruptDir(): string {
    return join(this.root, 'corrupt');
  }
  get policyFile(): string {
    return join(this.root, 'policy.json');
  }
  jobDir(gpid: string): string {
    return join(this.jobsDir, gpid);
  }
  jobRecord(gpid: string): string {
    return join(this.jobDir(gpid), 'job.json');
  }
  ctlDir(gpid: string): string {
    return join(this.jobDir(gpid), 'ctl');
  }
  exitFile(gpid: string): string {
    return join(this.ctlDir(gpid), 'exit');
  }
  filesDir(gpid: string): string {
    return join(this.jobDir(gpid), 'files');
  }
  stdout(gpid: string): string {
    return join(this.filesDir(gpid), 'stdout');
  }
  stderr(gpid: string): string {
    return join(this.filesDir(gpid), 'stderr');
  }
  workDir(gpid: string): string {
    return join(this.filesDir(gpid), 'work');
  }
  checkpointsDir(gpid: string): string {
    return join(this.jobDir(gpid), 'checkpoints');
  }
  migrationDir(id: string): string {
    return join(this.migrationsDir, id);
  }
}
