import { describe, expect, it } from 'vitest';
import { isDataWrite } from './data-version.ts';

describe('isDataWrite', () => {
  it('reads are not writes', () => {
    for (const q of ['select 1', '  SELECT * from "appeals"', 'explain analyze select 1', 'pragma table_info(appeals)', 'with x as (select 1) select * from x']) expect(isDataWrite(q), q).toBe(false);
  });
  it('writes to figures’ inputs are, including data-modifying CTEs and unknown statements', () => {
    for (const q of [
      'insert into "appeals" ("id") values (?)',
      'update "score_stats" set "volume" = "volume" + 1',
      'delete from "hotspots" where "id" = ?',
      'with f as (insert into score_facts values ($1) returning 1) insert into score_stats select 1',
      'create table t (x int)',
      'insert into "session_events" ("id") values (?)',
    ])
      expect(isDataWrite(q), q).toBe(true);
  });
  it('the session touch and the audit trail are not', () => {
    for (const q of ['update "sessions" set "last_seen_at" = ? where "id" = ?', 'insert into "audit_log" ("seq") values (?)', 'delete from sessions where id = ?']) expect(isDataWrite(q), q).toBe(false);
  });
});
