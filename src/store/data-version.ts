// A counter of the writes this process has committed, kept by the database driver itself so that no
// write path can forget it: caches of derived figures (the dashboards) compare it with the value they
// were computed at. It counts only this process's writes — another app instance or a CLI process is
// not seen, which is why such caches also bound an answer's age (src/services/scoring/fresh-cache.ts).
//
// The counter moves *after* a write is durable: after an autocommit statement returns, and after a
// transaction's COMMIT — a reader that starts computing after the bump therefore sees the write, and a
// reader that computed before it holds an older value and is recomputed.
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from 'kysely';

export class DataVersion {
  private n = 0;
  get value(): number {
    return this.n;
  }
  bump(): void {
    this.n++;
  }
}

// Tables whose writes never change a derived figure: the session's last-seen touch and the audit trail
// (an audited action that changes data writes something else too).
const IGNORED_WRITE = /^\s*(?:insert\s+into|update|delete\s+from)\s+"?(?:sessions|audit_log)"?[\s(]/i;
const READ = /^\s*(?:select|explain|pragma|show|values)\b/i;

/** Whether a statement may change data the caches derive from (conservative: unknown means yes). */
export function isDataWrite(sqlText: string): boolean {
  if (READ.test(sqlText)) return false;
  if (IGNORED_WRITE.test(sqlText)) return false;
  // A CTE is a write when any part of it is.
  if (/^\s*with\b/i.test(sqlText)) return /\b(?:insert|update|delete|merge)\b/i.test(sqlText);
  return true;
}

class VersionedConnection implements DatabaseConnection {
  inTransaction = false;
  dirty = false;
  constructor(
    readonly inner: DatabaseConnection,
    private readonly version: DataVersion,
  ) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const res = await this.inner.executeQuery<R>(q);
    this.wrote(q);
    return res;
  }

  async *streamQuery<R>(q: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    yield* this.inner.streamQuery<R>(q, chunkSize);
    this.wrote(q);
  }

  /** After a statement ran: a write moves the version now, or at COMMIT inside a transaction. */
  private wrote(q: CompiledQuery): void {
    if (!isDataWrite(q.sql)) return;
    if (this.inTransaction) this.dirty = true;
    else this.version.bump();
  }
}

class VersionedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly version: DataVersion,
  ) {}
  init(): Promise<void> {
    return this.inner.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    return new VersionedConnection(await this.inner.acquireConnection(), this.version);
  }
  async beginTransaction(c: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const v = c as VersionedConnection;
    await this.inner.beginTransaction(v.inner, settings);
    v.inTransaction = true;
    v.dirty = false;
  }
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    const v = c as VersionedConnection;
    try {
      await this.inner.commitTransaction(v.inner);
    } finally {
      // Bumped even when COMMIT throws: whether it took effect is then unknown, and a spurious bump
      // costs only a recomputation.
      if (v.dirty) this.version.bump();
      v.inTransaction = false;
      v.dirty = false;
    }
  }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    const v = c as VersionedConnection;
    try {
      await this.inner.rollbackTransaction(v.inner);
    } finally {
      v.inTransaction = false;
      v.dirty = false;
    }
  }
  savepoint(c: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]): Promise<void> {
    return this.inner.savepoint!((c as VersionedConnection).inner, name, compile);
  }
  rollbackToSavepoint(c: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['rollbackToSavepoint']>>[2]): Promise<void> {
    return this.inner.rollbackToSavepoint!((c as VersionedConnection).inner, name, compile);
  }
  releaseSavepoint(c: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['releaseSavepoint']>>[2]): Promise<void> {
    return this.inner.releaseSavepoint!((c as VersionedConnection).inner, name, compile);
  }
  releaseConnection(c: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((c as VersionedConnection).inner);
  }
  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** The dialect with its driver counting committed writes into `version`. */
export function withDataVersion(dialect: Dialect, version: DataVersion): Dialect {
  return {
    createDriver: () => new VersionedDriver(dialect.createDriver(), version),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}
