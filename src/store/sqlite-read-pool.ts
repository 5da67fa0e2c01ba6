// SQLite's read pool: `readDb` (the dashboards, rankings and reports) on read-only connections, each in
// a worker thread of its own — SQLite's counterpart of DATABASE_READ_URL on PostgreSQL.
//
// Why: better-sqlite3 is synchronous, so on the one connection a statement holds the whole process for
// its length; at 1,000,000 appeals the dashboard's background refresh held it about a second in every
// five, and every request arriving meanwhile — even one answered from the figures cache — waited
// (docs/deployment.md §5 run 6). In WAL mode readers do not block the writer nor each other, and a
// reader sees every transaction committed before its statement starts, so the threads read what the
// primary connection has committed, without lag: a write the process has acknowledged is visible to
// the next read here.
//
// Each statement is posted to the thread with the fewest waiting, run there to completion and its rows
// posted back (structured clone: the schema has no blob columns). No transactions: a read that must be
// consistent with a write it follows belongs on the primary (`db`). A thread that dies fails the
// statements it held and is replaced at the next statement.
import { Worker } from 'node:worker_threads';
import {
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';

export interface ReadThreadData {
  file: string;
}

export interface ReadRequest {
  id: number;
  sql: string;
  params: readonly unknown[];
}

export type ReadReply =
  | { id: number; rows: Record<string, unknown>[] }
  | { id: number; error: { message: string; code: string | undefined } };

interface Waiting {
  resolve: (rows: Record<string, unknown>[]) => void;
  reject: (err: Error) => void;
}

const ENTRY = new URL('./sqlite-read-worker.boot.mjs', import.meta.url);

/** One worker thread holding one read-only connection. */
class ReadThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  dead = false;

  constructor(file: string) {
    this.worker = new Worker(ENTRY, { workerData: { file } satisfies ReadThreadData });
    // The thread keeps the process alive only while it has a statement to answer (a CLI command
    // waiting on one must not exit; an idle server must not be held open by it).
    this.worker.unref();
    this.worker.on('message', (m: ReadReply) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (this.waiting.size === 0) this.worker.unref();
      if ('rows' in m) w.resolve(m.rows);
      else w.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    });
    const die = (err: Error) => {
      if (this.dead) return;
      this.dead = true;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    // A connection that cannot open (no file, not a database) fails the thread: its statements fail.
    this.worker.on('error', die);
    this.worker.on('exit', (code) => die(new Error(`SQLite read thread exited (code ${code})`)));
  }

  get load(): number {
    return this.waiting.size;
  }

  all(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
    if (this.dead) return Promise.reject(new Error('SQLite read thread is gone'));
    const id = this.nextId++;
    const rows = new Promise<Record<string, unknown>[]>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.worker.ref();
    // Posted at once: a thread still opening its connection finds it queued on its port.
    this.worker.postMessage({ id, sql, params } satisfies ReadRequest);
    return rows;
  }

  async close(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }
}

/** Statements go to the least-busy thread; there is no session state, so one connection object serves all. */
class ReadPoolConnection implements DatabaseConnection {
  constructor(private readonly pool: ReadThreads) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    return { rows: (await this.pool.pick().all(q.sql, q.parameters)) as R[] };
  }

  async *streamQuery<R>(q: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    // Rows come back whole from the thread; streaming here only keeps the interface.
    yield await this.executeQuery<R>(q);
  }
}

class ReadThreads {
  private threads: ReadThread[] = [];
  constructor(
    private readonly file: string,
    private readonly size: number,
  ) {}

  /** The thread with the fewest statements waiting; a dead one is replaced first. */
  pick(): ReadThread {
    for (let i = 0; i < this.size; i++) {
      const t = this.threads[i];
      if (t === undefined || t.dead) this.threads[i] = new ReadThread(this.file);
    }
    let best = this.threads[0]!;
    for (const t of this.threads) if (t.load < best.load) best = t;
    return best;
  }

  async close(): Promise<void> {
    const threads = this.threads;
    this.threads = [];
    await Promise.all(threads.map((t) => t.close()));
  }
}

class ReadPoolDriver implements Driver {
  private readonly threads: ReadThreads;
  private readonly connection: ReadPoolConnection;

  constructor(file: string, size: number) {
    this.threads = new ReadThreads(file, size);
    this.connection = new ReadPoolConnection(this.threads);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }

  async beginTransaction(): Promise<void> {
    throw new Error('the SQLite read pool runs single statements: a transaction belongs on the primary (db)');
  }

  async commitTransaction(): Promise<void> {}

  async rollbackTransaction(): Promise<void> {}

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    await this.threads.close();
  }
}

/** Kysely's SQLite dialect over `size` read-only connections in worker threads, on `file`. */
export class SqliteReadPoolDialect implements Dialect {
  constructor(
    private readonly file: string,
    private readonly size: number,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error('the SQLite read pool needs at least one thread');
  }

  createDriver(): Driver {
    return new ReadPoolDriver(this.file, this.size);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
