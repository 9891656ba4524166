import { type FixtureModule, moduleClasspath } from './java-fixtures.js';
import { isRunning, startProcess, type StartedProcess, stopProcess } from './processes.js';

/**
 * The `java` command line of a fixture main class: the fixture's classpath (its jar first), and
 * `-Dfixture.parentPid` so that the JVM ends by itself when this Node process is gone.
 */
export function javaArgs(module: FixtureModule, mainClass: string, jvmFlags: string[], args: string[]): string[] {
  return [...jvmFlags, `-Dfixture.parentPid=${process.pid}`, '-cp', moduleClasspath(module), mainClass, ...args];
}

/**
 * A long-lived fixture JVM that tests stop, kill and start again on the same port: one process at a
 * time, started by the subclass's `launch()`, tracked by processes.ts so it never outlives this one.
 */
export abstract class JvmProcess {
  protected proc: StartedProcess | undefined;

  protected constructor(private readonly stopGraceMs: number) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get running(): boolean {
    return this.proc !== undefined && isRunning(this.proc.child);
  }

  /** Starts the JVM and resolves once it serves. */
  protected abstract launch(): Promise<void>;

  protected spawnJvm(module: FixtureModule, mainClass: string, jvmFlags: string[], args: string[]): StartedProcess {
    this.proc = startProcess('java', javaArgs(module, mainClass, jvmFlags, args));
    return this.proc;
  }

  /** SIGTERM, escalated to SIGKILL after the grace period. */
  async stop(): Promise<void> {
    if (this.proc) {
      await stopProcess(this.proc.child, 'SIGTERM', this.stopGraceMs);
    }
  }

  /** SIGKILL, as a crash would. */
  async kill(): Promise<void> {
    if (this.proc) {
      await stopProcess(this.proc.child, 'SIGKILL');
    }
  }

  /** Graceful stop, then a new JVM at once with the same options (same port, same data). */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }
}
