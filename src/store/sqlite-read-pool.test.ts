import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteReadPoolDialect } from './sqlite-read-pool.ts';

interface T {
  items: { id: number; name: string; score: number | null };
}

describe('SQLite read pool (read-only connections in worker threads)', () => {
  let dir: string;
  let raw: SQLite.Database;
  let primary: Kysely<T>;
  let reads: Kysely<T>;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minbiao-readpool-'));
    const file = path.join(dir, 'x.db');
    raw = new SQLite(file);
    raw.pragma('journal_mode = WAL');
    raw.exec('create table items (id integer primary key, name text not null, score real)');
    primary = new Kysely<T>({ dialect: new SqliteDialect({ database: raw }) });
    reads = new Kysely<T>({ dialect: new SqliteReadPoolDialect(file, 2) });
  });

  afterAll(async () => {
    await reads.destroy();
    await primary.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads what the primary has committed, at once, with the same values (Chinese text, null, reals)', async () => {
    await primary.insertInto('items').values([
      { id: 1, name: '派出所', score: 92.5 },
      { id: 2, name: '法院', score: null },
    ]).execute();
    const mine = await primary.selectFrom('items').selectAll().orderBy('id').execute();
    expect(await reads.selectFrom('items').selectAll().orderBy('id').execute()).toEqual(mine);
    await primary.updateTable('items').set({ score: 60 }).where('id', '=', 2).execute();
    expect(await reads.selectFrom('items').select('score').where('id', '=', 2).executeTakeFirst()).toEqual({ score: 60 });
  });

  it('does not see a transaction the primary has not committed, and sees it once committed', async () => {
    await primary.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ id: 3, name: '检察院', score: 70 }).execute();
      // Another connection: the primary's open transaction does not block it, nor show through.
      expect(await reads.selectFrom('items').select('id').where('id', '=', 3).execute()).toEqual([]);
    });
    expect(await reads.selectFrom('items').select('id').where('id', '=', 3).execute()).toEqual([{ id: 3 }]);
  });

  it('refuses writes and transactions, with the statement named', async () => {
    await expect(reads.insertInto('items').values({ id: 9, name: 'x', score: 1 }).execute()).rejects.toThrow(/reads only/);
    await expect(reads.transaction().execute(async () => undefined)).rejects.toThrow(/single statements/);
    expect(await primary.selectFrom('items').select('id').where('id', '=', 9).execute()).toEqual([]);
  });

  it('a failing statement fails alone; the thread keeps serving', async () => {
    await expect(sql`select * from no_such_table`.execute(reads)).rejects.toMatchObject({ message: expect.stringMatching(/no such table/), code: 'SQLITE_ERROR' });
    expect((await sql<{ n: number }>`select count(*) as n from items`.execute(reads)).rows).toEqual([{ n: 3 }]);
  });

  it('a connection that cannot open fails its statements instead of leaving them waiting', async () => {
    const broken = new Kysely<T>({ dialect: new SqliteReadPoolDialect(path.join(dir, 'missing', 'none.db'), 1) });
    try {
      await expect(sql`select 1`.execute(broken)).rejects.toThrow(/unable to open|does not exist|directory/i);
      // The dead thread is replaced at the next statement, which fails the same way (the file is still missing).
      await expect(sql`select 1`.execute(broken)).rejects.toThrow(/unable to open|does not exist|directory/i);
    } finally {
      await broken.destroy();
    }
  });

  it('many statements at once all come back, each with its own rows', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => (i % 3) + 1);
    const got = await Promise.all(ids.map((id) => reads.selectFrom('items').select('id').where('id', '=', id).executeTakeFirstOrThrow()));
    expect(got.map((r) => r.id)).toEqual(ids);
  });
});
