// One read-only SQLite connection in a thread of its own (src/store/sqlite-read-pool.ts sends it the
// statements). better-sqlite3 runs a statement to completion in the calling thread: here that thread is
// not the one answering HTTP requests.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { withStatementCache } from './sqlite-statements.ts';
import type { ReadReply, ReadRequest, ReadThreadData } from './sqlite-read-pool.ts';

const port = parentPort!;
const { file } = workerData as ReadThreadData;
const raw = new SQLite(file, { readonly: true, fileMustExist: true });
raw.pragma('busy_timeout = 5000');
raw.pragma('cache_size = -65536');
const db = withStatementCache(raw);

port.on('message', (m: ReadRequest) => {
  let reply: ReadReply;
  try {
    const stmt = db.prepare(m.sql);
    // A read-only connection refuses writes itself; this names the mistake before SQLite does.
    if (!stmt.reader) throw Object.assign(new Error(`the read pool runs reads only: ${m.sql.slice(0, 80)}`), { code: 'SQLITE_READONLY' });
    reply = { id: m.id, rows: stmt.all(m.params) as Record<string, unknown>[] };
  } catch (err) {
    const e = err as { message?: unknown; code?: unknown };
    reply = { id: m.id, error: { message: String(e.message ?? err), code: typeof e.code === 'string' ? e.code : undefined } };
  }
  port.postMessage(reply);
});
