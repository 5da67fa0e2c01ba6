// `minbiao notify …` and `minbiao kb …`: the notification sender outside the server (cron, or a
// deployment that runs the server with NOTIFY_ENABLED=false), and knowledge-base chores.
import os from 'node:os';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { NOTIFIER_LEASE } from '../../jobs/notifier.ts';
import { createServices } from '../../services/index.ts';
import { seedKnowledgeBase } from '../../services/knowledge/starter.ts';
import { repos } from '../../store/repositories/index.ts';
import { notifyRepo } from '../../store/repositories/notify.ts';

export function register(program: Command): void {
  const notify = program.command('notify').description('通知 / notifications');
  notify
    .command('send-pending')
    .description('发送到期的待发消息(含重试)/ send the messages that are due, retries included')
    .option('--limit <n>', '本次最多发送条数 / at most this many messages', '5000')
    .action(async (opts: { limit: string }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new Error('--limit 须为正整数 / must be a positive integer');
      const s = await createServices(loadConfig());
      const holder = `cli:${os.hostname()}:${process.pid}`;
      try {
        // One sender at a time: the server's notifier holds the same lease while it runs.
        if (!(await repos.leases.acquire(s.ctx.db, NOTIFIER_LEASE, holder, Date.now(), 10 * 60_000))) {
          throw new Error('另一个发送进程正在运行(服务器的通知任务)/ another sender holds the lease (the server’s notifier is running)');
        }
        const report = await s.notify.sender.sendPending({ limit });
        process.stdout.write(`${JSON.stringify({ ...report, queue: await notifyRepo.counts(s.ctx.db) })}\n`);
      } finally {
        await repos.leases.release(s.ctx.db, NOTIFIER_LEASE, holder).catch(() => undefined);
        await s.close();
      }
    });
  notify
    .command('status')
    .description('消息队列状态 / messages by delivery state')
    .action(async () => {
      const s = await createServices(loadConfig());
      try {
        process.stdout.write(`${JSON.stringify({ queue: await notifyRepo.counts(s.ctx.db), providers: [...s.notify.sender.providers.values()].map((p) => p.describe) })}\n`);
      } finally {
        await s.close();
      }
    });

  const kb = program.command('kb').description('知识库 / knowledge base');
  kb.command('search')
    .description('检索知识库(查看排序效果)/ search the knowledge base and show the ranking')
    .argument('<query>', '问题 / the question')
    .option('--region <code>', '地区 / region code')
    .option('--limit <n>', '条数 / results', '5')
    .action(async (q: string, opts: { region?: string; limit: string }) => {
      const s = await createServices(loadConfig());
      try {
        const r = await s.knowledge.engine.search(q, { regionCode: opts.region, limit: Number(opts.limit) });
        const out = {
          concepts: r.parsed.concepts.map((c) => `${c.text}→${c.terms.map((t) => t.term).join('/')}`),
          usedGrams: r.usedGrams,
          hits: r.hits.map((h) => ({ id: h.doc.article_id, title: h.doc.title, score: h.score, match: h.match, matched: h.matched })),
        };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      } finally {
        await s.close();
      }
    });
  kb.command('seed-starter')
    .description('写入示范知识库(已存在的文章跳过)/ add the starter articles (existing ones are skipped)')
    .action(async () => {
      const s = await createServices(loadConfig());
      try {
        process.stdout.write(`${JSON.stringify(await seedKnowledgeBase(s))}\n`);
      } finally {
        await s.close();
      }
    });
}
