// Migrations in code (no files to find at run time), applied in order by Kysely's Migrator.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from './0001_core.ts';
import * as m0002 from './0002_scoring.ts';
import * as m0003 from './0003_security.ts';
import * as m0005 from './0005_knowledge_notify.ts';
import * as m0006 from './0006_participation.ts';
import * as m0007 from './0007_interop.ts';
import * as m0008 from './0008_text.ts';
import * as m0009 from './0009_citizen_id.ts';
import * as m0010 from './0010_citizen_email.ts';
import * as m0011 from './0011_partitions.ts';
import * as m0012 from './0012_rating_staff_session.ts';
import * as m0013 from './0013_snapshot_facts.ts';
import * as m0014 from './0014_hot_indexes.ts';
import * as m0015 from './0015_place_key.ts';
import * as m0016 from './0016_stats_month.ts';
import * as m0017 from './0017_overdue_index.ts';

export interface MigrationContext {
  dialect: 'sqlite' | 'postgres';
}

type Step = { up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> };
const STEPS: Record<string, Step> = {
  '0001_core': m0001,
  '0002_scoring': m0002,
  '0003_security': m0003,
  '0005_knowledge_notify': m0005,
  '0006_participation': m0006,
  '0007_interop': m0007,
  '0008_text': m0008,
  '0009_citizen_id': m0009,
  '0010_citizen_email': m0010,
  '0011_partitions': m0011,
  '0012_rating_staff_session': m0012,
  '0013_snapshot_facts': m0013,
  '0014_hot_indexes': m0014,
  '0015_place_key': m0015,
  '0016_stats_month': m0016,
  '0017_overdue_index': m0017,
};

class CodeProvider implements MigrationProvider {
  constructor(private readonly ctx: MigrationContext) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(STEPS).map(([name, step]) => [name, { up: (db: Kysely<unknown>) => step.up(db, this.ctx) }]),
    );
  }
}

export async function migrateToLatest(db: Kysely<any>, ctx: MigrationContext): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new CodeProvider(ctx), migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies the migrations up to and including `name` (tests of a migration over existing rows). */
export async function migrateTo(db: Kysely<any>, ctx: MigrationContext, name: string): Promise<void> {
  const migrator = new Migrator({ db, provider: new CodeProvider(ctx), migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
  const { error } = await migrator.migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
