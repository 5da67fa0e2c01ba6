// Shared set-up of the benchmarks that run the server as a child process: flags, a throw-away
// database (a temporary DATA_DIR for SQLite, a fresh database on the PostgreSQL server), and the
// start of a server script that prints `PORT <n>` (and optionally more `NAME <n>` pairs) on stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export type Dialect = 'sqlite' | 'postgres';

export const PG_ADMIN = process.env.MINBIAO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const BENCH_SECRET = 'bench-secret-0123456789-abcdefghijklmnop';

/** `--name value` from the command line, or the default. */
export function flag(args: readonly string[], name: string, def: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : def;
}

export async function pgReachable(url = PG_ADMIN): Promise<boolean> {
  try {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** An empty database for one measurement: the environment that points the product at it, and its removal. */
export async function tempDatabase(dialect: Dialect, prefix: string): Promise<{ env: Record<string, string>; dataDir: string; cleanup: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `minbiao-${prefix}-`));
  const env: Record<string, string> = { DATA_DIR: dataDir, MINBIAO_SECRET: BENCH_SECRET };
  let dbName: string | null = null;
  if (dialect === 'postgres') {
    dbName = `minbiao_${prefix.replace(/[^a-z0-9]/g, '_')}_${Date.now().toString(36)}`;
    const c = new pg.Client({ connectionString: PG_ADMIN });
    await c.connect();
    await c.query(`create database ${dbName}`);
    await c.end();
    const u = new URL(PG_ADMIN);
    u.pathname = `/${dbName}`;
    env.DATABASE_URL = u.toString();
  }
  return {
    env,
    dataDir,
    cleanup: async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (dbName) {
        const c = new pg.Client({ connectionString: PG_ADMIN });
        await c.connect();
        await c.query(`drop database if exists ${dbName} with (force)`);
        await c.end();
      }
    },
  };
}

/**
 * Starts `node --import tsx/esm <script> …args` with the environment added, and waits for it to print
 * `PORT <n>` on stdout (the other `NAME <n>` pairs on the same line are returned as well).
 */
export async function startServerProcess(script: string, args: readonly string[], env: Record<string, string>): Promise<{ port: number; ports: Record<string, number>; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx/esm', script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const ports = await new Promise<Record<string, number>>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = /^(PORT \d+.*)\n/m.exec(buf);
      if (line) resolve(Object.fromEntries([...line[1]!.matchAll(/([A-Z_]+) (\d+)/g)].map((m) => [m[1]!, Number(m[2])])));
    });
    child.on('exit', (code) => reject(new Error(`${script} ${args.join(' ')} exited ${code}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return { port: ports.PORT!, ports, child, stop };
}

/** Resident and peak resident memory of a process (Linux /proc/<pid>/status VmRSS, VmHWM), in MB. */
export function procMemory(pid: number | 'self'): { rssMb: number; peakRssMb: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

/**
 * The PostgreSQL server's memory on this machine: the proportional set size (PSS: shared buffers split
 * between the processes that map them, so the sum does not count them once per backend) summed over
 * every `postgres` process, in MB; null where /proc cannot be read (another user's processes).
 */
export function postgresMemory(): { processes: number; pssMb: number } | null {
  let processes = 0;
  let kb = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      const pss = Number(/^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? NaN);
      if (!Number.isFinite(pss)) return null;
      kb += pss;
      processes++;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // the process ended meanwhile
      return null;
    }
  }
  return processes > 0 ? { processes, pssMb: Math.round(kb / 1024) } : null;
}

/** This process's heap (V8) and resident memory, in MB. */
export function heapMemory(): { heapUsedMb: number; heapTotalMb: number; externalMb: number } {
  const m = process.memoryUsage();
  const mb = (x: number) => Math.round(x / 2 ** 20);
  return { heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external) };
}
