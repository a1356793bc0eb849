import type { Database } from '../db/database.ts';
import { loadMigrations } from '../db/migrate.ts';
import type { NatsEventPublisher } from '../modules/events/nats-publisher.ts';

export type WorkerState = 'running' | 'off' | 'stopped';

/**
 * What this instance is doing, for `/readyz` and for a graceful shutdown: whether it still takes
 * requests, and the state of its background workers (the daily-close scheduler, the audit sealer,
 * the NATS publisher).
 */
export class Lifecycle {
  stopping = false;
  scheduler: WorkerState = 'off';
  sealer: WorkerState = 'off';
  private migrationsDone = false;

  constructor(
    private readonly db: Database,
    private readonly publisher: NatsEventPublisher | undefined,
  ) {}

  /**
   * Ready = takes traffic: the database answers, every migration this build knows is applied, and
   * the instance is not shutting down. The workers are reported, not required (the sealer and the
   * daily close run on one instance at a time; NATS being away only delays publishing).
   */
  async readiness(): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const checks: Record<string, string> = {};
    let ready = !this.stopping;
    checks.shutting_down = this.stopping ? 'yes' : 'no';
    try {
      await this.db.sql.$queryRawUnsafe('SELECT 1');
      checks.database = 'ok';
      if (!this.migrationsDone) {
        const rows = await this.db.sql.$queryRawUnsafe<{ version: string }[]>(
          'SELECT version FROM schema_migrations',
        );
        const applied = new Set(rows.map((r) => String(r.version)));
        this.migrationsDone = loadMigrations(this.db.dialect).every((m) => applied.has(m.version));
      }
      checks.migrations = this.migrationsDone ? 'ok' : 'pending';
      if (!this.migrationsDone) ready = false;
    } catch {
      checks.database = 'unreachable';
      ready = false;
    }
    checks.scheduler = this.scheduler;
    checks.sealer = this.sealer;
    checks.nats = this.publisher
      ? this.publisher.connected
        ? this.publisher.leader
          ? 'publishing'
          : 'standby'
        : 'disconnected'
      : 'off';
    return { ready, checks };
  }
}
