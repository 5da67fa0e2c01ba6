// Backup and restore. SQLite: a consistent online copy through SQLite's backup API (the server may keep
// running), checked (integrity_check) before it is reported done; restore puts a checked copy in place
// of the database file, keeping the file it replaces. PostgreSQL: pg_dump / pg_restore (custom format)
// when they are installed, else the commands to run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

export interface BackupSummary {
  file: string;
  bytes: number;
  appeals: number;
  events: number;
  auditRecords: number;
}

const REQUIRED_TABLES = ['appeals', 'appeal_events', 'audit_log', 'users', 'schema_migrations'];

export function stamp(now: number): string {
  return new Date(now + 8 * 3600_000).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** Opens a SQLite file read-only and checks that it is a whole MinBiao database. */
export function inspectSqlite(file: string): BackupSummary {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity_check failed: ${String(check)}`);
    const tables = new Set((db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name));
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
    if (missing.length) throw new Error(`not a MinBiao database (missing tables: ${missing.join(', ')})`);
    const count = (t: string) => Number((db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n);
    return { file, bytes: fs.statSync(file).size, appeals: count('appeals'), events: count('appeal_events'), auditRecords: count('audit_log') };
  } finally {
    db.close();
  }
}

/** A consistent copy of a live SQLite database (WAL included), written with mode 0600 and checked. */
export async function backupSqlite(sourceFile: string, outFile: string): Promise<BackupSummary> {
  if (fs.existsSync(outFile)) throw new Error(`${outFile} exists: choose another --out`);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const tmp = `${outFile}.partial`;
  fs.rmSync(tmp, { force: true });
  const src = new SQLite(sourceFile, { fileMustExist: true });
  try {
    await src.backup(tmp);
  } finally {
    src.close();
  }
  fs.chmodSync(tmp, 0o600);
  const summary = inspectSqlite(tmp);
  fs.renameSync(tmp, outFile);
  return { ...summary, file: outFile };
}

/**
 * Replaces the database file with a checked copy of the backup. The current file (after folding its WAL
 * in) is kept beside it as `<file>.before-restore-<time>`. The server must be stopped.
 */
export async function restoreSqlite(backupFile: string, targetFile: string, now: number): Promise<{ restored: BackupSummary; previous: string | null }> {
  inspectSqlite(backupFile);
  let previous: string | null = null;
  if (fs.existsSync(targetFile)) {
    const cur = new SQLite(targetFile);
    try {
      cur.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      cur.close();
    }
    previous = `${targetFile}.before-restore-${stamp(now)}`;
    fs.renameSync(targetFile, previous);
    for (const ext of ['-wal', '-shm']) fs.rmSync(targetFile + ext, { force: true });
  }
  const src = new SQLite(backupFile, { readonly: true, fileMustExist: true });
  try {
    await src.backup(targetFile);
  } finally {
    src.close();
  }
  fs.chmodSync(targetFile, 0o600);
  const db = new SQLite(targetFile);
  try {
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  return { restored: inspectSqlite(targetFile), previous };
}

export function hasCommand(cmd: string): boolean {
  const r = spawnSync(cmd, ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

export const pgDumpCommand = (url: string, out: string) => ['pg_dump', '--format=custom', '--no-owner', '--no-privileges', `--file=${out}`, url];
export const pgRestoreCommand = (url: string, file: string, clean: boolean) => [
  'pg_restore',
  '--no-owner',
  '--no-privileges',
  '--exit-on-error',
  '--single-transaction',
  ...(clean ? ['--clean', '--if-exists'] : []),
  `--dbname=${url}`,
  file,
];

/** Runs a command (argv, no shell); throws with its stderr when it fails. */
export function run(argv: string[]): void {
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv[0]} failed (${r.status ?? r.signal}): ${(r.stderr ?? '').trim().slice(0, 2000)}`);
}

/** Shows a URL without its password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}
