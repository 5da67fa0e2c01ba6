import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './sqlite-statements.ts';

describe('withStatementCache', () => {
  it('hands back the compiled statement for a text it has seen, most recently used kept', () => {
    const raw = new SQLite(':memory:');
    const db = withStatementCache(raw, 2);
    const a = db.prepare('select 1 as x');
    expect(db.prepare('select 1 as x')).toBe(a);
    const b = db.prepare('select 2 as x');
    db.prepare('select 1 as x'); // a is now the most recent
    db.prepare('select 3 as x'); // evicts b, the least recently used
    expect(db.cached).toBe(2);
    expect(db.prepare('select 1 as x')).toBe(a);
    expect(db.prepare('select 2 as x')).not.toBe(b);
    db.close();
    expect(raw.open).toBe(false);
  });

  it('prepares a fresh statement while the cached one is still being iterated', () => {
    const db = withStatementCache(new SQLite(':memory:'));
    const text = 'select value from json_each(?)';
    const a = db.prepare(text);
    const it1 = a.iterate(['[1,2,3]']);
    expect(it1.next().value).toEqual({ value: 1 });
    const b = db.prepare(text);
    expect(b).not.toBe(a);
    expect(b.all(['[7]'])).toEqual([{ value: 7 }]);
    expect([...it1]).toEqual([{ value: 2 }, { value: 3 }]);
    db.close();
  });

  it('serves Kysely: the same results, statements reused across parameters, inside and outside transactions', async () => {
    const k = new Kysely<{ t: { id: number; v: string } }>({ dialect: new SqliteDialect({ database: withStatementCache(new SQLite(':memory:')) }) });
    await sql`create table t (id integer primary key, v text not null)`.execute(k);
    for (let i = 0; i < 50; i++) await k.insertInto('t').values({ id: i, v: `v${i}` }).execute();
    await k.transaction().execute(async (trx) => {
      await trx.updateTable('t').set({ v: 'x' }).where('id', '<', 10).execute();
      expect((await trx.selectFrom('t').select('v').where('id', '=', 3).executeTakeFirstOrThrow()).v).toBe('x');
    });
    expect(Number((await k.selectFrom('t').select((eb) => eb.fn.countAll().as('n')).where('v', '=', 'x').executeTakeFirstOrThrow()).n)).toBe(10);
    expect((await k.selectFrom('t').select('v').where('id', '=', 42).executeTakeFirstOrThrow()).v).toBe('v42');
    await k.destroy();
  });
});
