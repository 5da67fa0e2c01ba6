// Security and reliability commands (docs/security.md):
//   minbiao audit verify                 check the sealed hash chain; names the first broken record (exit 1)
//   minbiao keys status | rotate [--dry-run]   re-encrypt ciphertexts still under an older key
//   minbiao retention run [--dry-run]    erase citizens' identities past PII_RETENTION_DAYS after closure
//   minbiao backup [--out FILE]          consistent online copy (SQLite) / pg_dump (PostgreSQL)
//   minbiao restore FILE [--force]       put a backup in place (server stopped)
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { sql } from 'kysely';
import { loadConfig, type Config } from '../../config.ts';
import { createServices, type Services } from '../../services/index.ts';
import type { SystemPrincipal } from '../../services/principal.ts';
import { backupSqlite, hasCommand, pgDumpCommand, pgRestoreCommand, redactUrl, restoreSqlite, run, stamp } from '../../services/security/backup.ts';
import { openDatabase } from '../../store/database.ts';

const CLI: SystemPrincipal = { kind: 'system', job: 'cli' };
const out = (s: string) => process.stdout.write(`${s}\n`);

async function withServices<T>(fn: (s: Services) => Promise<T>, config: Config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' })): Promise<T> {
  const s = await createServices(config);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** PostgreSQL tools get the password through the environment, not the command line (ps shows it). */
function pgArgs(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env = { ...process.env };
  if (u.password) {
    env.PGPASSWORD = decodeURIComponent(u.password);
    u.password = '';
  }
  return { url: u.toString(), env };
}

export function register(program: Command): void {
  const audit = program.command('audit').description('审计日志 / the audit trail');
  audit
    .command('verify')
    .description('校验审计日志哈希链(HMAC-SM3)/ verify the sealed hash chain; names the first broken record')
    .option('--json', '以 JSON 输出 / print JSON')
    .action(async (opts: { json?: boolean }) => {
      const r = await withServices(async (s) => {
        const v = await s.audit.verify();
        await s.audit.record(CLI, { action: 'audit.verify', objectType: 'audit', objectId: null, outcome: v.ok ? 'success' : 'failure', details: { checked: v.checked, firstBroken: v.firstBroken } });
        return v;
      });
      if (opts.json) out(JSON.stringify(r));
      else if (r.ok) out(`审计日志完整 / audit trail intact: ${r.checked} records, head seq ${r.head?.seq} hash ${r.head?.hash}`);
      else out(`审计日志被篡改 / audit trail BROKEN at seq ${r.firstBroken!.seq}: ${r.firstBroken!.reason} (checked ${r.checked})`);
      if (!r.ok) process.exitCode = 1;
    });

  const keys = program.command('keys').description('个人信息加密密钥 / personal-data encryption keys');
  keys
    .command('status')
    .description('当前密钥与待轮换的密文数 / the current key and the ciphertexts still under older keys')
    .action(async () => {
      const r = await withServices(async (s) => ({ keyId: s.ctx.pii.currentKeyId, algorithm: s.ctx.pii.algorithm, stale: await s.security.keys.stale() }));
      out(JSON.stringify(r));
    });
  keys
    .command('rotate')
    .description('用最新密钥重新加密旧密文 / re-encrypt every ciphertext still under an older key (MINBIAO_SECRET="new:…,old:…")')
    .option('--dry-run', '只统计不修改 / count only')
    .action(async (opts: { dryRun?: boolean }) => {
      const r = await withServices((s) => s.security.keys.rotate({ dryRun: !!opts.dryRun, actor: CLI }));
      out(JSON.stringify(r));
      if (r.failed > 0) process.exitCode = 1;
    });

  const retention = program.command('retention').description('个人信息保存期限 / retention of citizens’ identities');
  retention
    .command('run')
    .description('删除办结超过 PII_RETENTION_DAYS 天的诉求中的群众身份信息 / erase identities past the retention period')
    .option('--dry-run', '只统计不删除 / count only')
    .action(async (opts: { dryRun?: boolean }) => {
      const r = await withServices((s) => s.security.retention.run({ dryRun: !!opts.dryRun, full: true, actor: CLI }));
      out(JSON.stringify({ ...r, cutoff: new Date(r.cutoff).toISOString() }));
    });

  program
    .command('backup')
    .description('备份数据库 / back up the database (SQLite: consistent online copy; PostgreSQL: pg_dump)')
    .option('--out <file>', '备份文件 / the backup file (default DATA_DIR/backups/minbiao-<time>.db|.dump)')
    .action(async (opts: { out?: string }) => {
      const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
      const now = Date.now();
      if (config.dialect === 'sqlite') {
        const file = path.resolve(opts.out ?? path.join(config.dataDir, 'backups', `minbiao-${stamp(now)}.db`));
        const summary = await backupSqlite(path.join(config.dataDir, 'minbiao.db'), file);
        await withServices((s) => s.audit.record(CLI, { action: 'system.backup', objectType: 'database', objectId: null, outcome: 'success', details: { file, appeals: summary.appeals, events: summary.events } }), config);
        out(JSON.stringify(summary));
        return;
      }
      const file = path.resolve(opts.out ?? path.join(config.dataDir, 'backups', `minbiao-${stamp(now)}.dump`));
      const { url, env } = pgArgs(config.DATABASE_URL!);
      const argv = pgDumpCommand(url, file);
      if (!hasCommand('pg_dump')) {
        out(`pg_dump 不可用 / pg_dump is not installed. Run on a machine with the PostgreSQL client (same major version as the server):\n  PGPASSWORD=… ${pgDumpCommand(redactUrl(url), file).join(' ')}\nRestore with: minbiao restore ${file}  (or ${pgRestoreCommand(redactUrl(url), file, false).join(' ')})`);
        process.exitCode = 2;
        return;
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      process.env.PGPASSWORD = env.PGPASSWORD ?? process.env.PGPASSWORD;
      run(argv);
      await withServices((s) => s.audit.record(CLI, { action: 'system.backup', objectType: 'database', objectId: null, outcome: 'success', details: { file, tool: 'pg_dump' } }), config);
      out(JSON.stringify({ file, tool: 'pg_dump' }));
    });

  program
    .command('restore <file>')
    .description('从备份恢复(先停止服务)/ restore a backup (stop the server first)')
    .option('--force', 'SQLite: 即使调度租约仍有效也恢复;PostgreSQL: 覆盖非空数据库 / restore although a server seems to run (SQLite) or the database is not empty (PostgreSQL)')
    .action(async (file: string, opts: { force?: boolean }) => {
      const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
      const src = path.resolve(file);
      const now = Date.now();
      const target = path.join(config.dataDir, 'minbiao.db');
      let busy = false;
      let tables = 0;
      // Look at the target first (a fresh SQLite directory has nothing to look at).
      if (config.dialect === 'postgres' || fs.existsSync(target)) {
        const handle = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
        try {
          if (config.dialect === 'sqlite') {
            const lease = await handle.db.selectFrom('job_leases').select(['holder', 'expires_at']).where('expires_at', '>', now).executeTakeFirst().catch(() => undefined);
            busy = !!lease;
          } else {
            const r = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = 'public'`.execute(handle.db);
            tables = Number(r.rows[0]?.n ?? 0);
          }
        } finally {
          await handle.close();
        }
      }
      if (config.dialect === 'sqlite') {
        if (busy && !opts.force) throw new Error('服务似乎仍在运行(调度租约有效),请先停止服务 / a server seems to be running (an active job lease): stop it first, or --force');
        const r = await restoreSqlite(src, target, now);
        await withServices((s) => s.audit.record(CLI, { action: 'system.restore', objectType: 'database', objectId: null, outcome: 'success', details: { from: src, previous: r.previous, appeals: r.restored.appeals } }), config);
        out(JSON.stringify({ restored: r.restored, previous: r.previous }));
        return;
      }
      if (tables > 0 && !opts.force) throw new Error('目标数据库非空 / the target database is not empty: restore into an empty database, or --force to replace its objects');
      if (!hasCommand('pg_restore')) {
        out(`pg_restore 不可用 / pg_restore is not installed. Run:\n  PGPASSWORD=… ${pgRestoreCommand(redactUrl(config.DATABASE_URL!), src, tables > 0).join(' ')}`);
        process.exitCode = 2;
        return;
      }
      const { url, env } = pgArgs(config.DATABASE_URL!);
      process.env.PGPASSWORD = env.PGPASSWORD ?? process.env.PGPASSWORD;
      run(pgRestoreCommand(url, src, tables > 0));
      await withServices((s) => s.audit.record(CLI, { action: 'system.restore', objectType: 'database', objectId: null, outcome: 'success', details: { from: src, tool: 'pg_restore' } }), config);
      out(JSON.stringify({ restored: src, tool: 'pg_restore' }));
    });
}
