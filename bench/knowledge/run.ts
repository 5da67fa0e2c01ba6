// bench/knowledge: knowledge-base search on 100,000 articles, on SQLite (FTS5) and PostgreSQL (GIN
// tsvector), against a baseline measured in the same run on the same rows: a LIKE scan over title and
// body for the question's words (what a search without an index does). Prints JSON.
//   node --import tsx/esm bench/knowledge/run.ts [--articles 100000] [--rounds 5] [--no-pg]
//
// The corpus: the 41 real starter articles, plus synthetic ones built from their sentences (with other
// places, units, numbers) and a long tail of ordinary words from jieba's dictionary, so that the index
// has a realistic vocabulary and the real answers must be found among near-duplicates.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { analyzeArticle, kbJieba } from '../../src/domain/knowledge/analyzer.ts';
import { paragraphsToHtml, STARTER_ARTICLES } from '../../src/domain/knowledge/starter.ts';
import { mulberry32 } from '../../src/domain/text/hashing.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import { seedDemo } from '../../src/services/demo-seed.ts';
import { knowledgeRepo, termsOfDoc, type NewKbDoc } from '../../src/store/repositories/knowledge.ts';
import { tempDatabase } from '../lib/setup.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const N = Number(arg('articles', '100000'));
const ROUNDS = Number(arg('rounds', '5'));

/** Questions people ask, with the starter article a good search puts in the top 3. */
const QUERIES: [string, string | null][] = [
  ['被骗了怎么办', 'kb-fraud-victim'],
  ['我想打官司', 'kb-lit-filing'],
  ['打官司要多少钱', 'kb-lit-fees'],
  ['离婚财产怎么分', 'kb-divorce-property-children'],
  ['老公打我怎么办', 'kb-domestic-violence'],
  ['判了对方不给钱', 'kb-enforcement-apply'],
  ['孩子出生怎么上户口', 'kb-hukou-birth'],
  ['社区矫正能出远门吗', 'kb-correction-travel'],
  ['楼上太吵了睡不着', 'kb-noise'],
  ['邻居家漏水到我家', 'kb-neighbour'],
  ['物业停水停电催物业费', 'kb-property-fee'],
  ['欠工资不给怎么办', 'kb-wages'],
  ['身份证丢了', 'kb-id-card'],
  ['被人打了还手算互殴吗', 'kb-fight'],
  ['有人打电话说我涉嫌洗钱让我转到安全账户', 'kb-fraud-impersonation'],
  ['借钱不还过了三年还能告吗', 'kb-lit-limitation'],
  ['老人去世房子怎么分', 'kb-inheritance'],
  ['报案了派出所不立案', 'kb-no-filing'],
  ['法律援住怎么申请', 'kb-legal-aid-apply'],
  ['电信网洛诈骗', 'kb-fraud-types'],
  ['请不起律师怎么办', 'kb-legal-aid-who'],
  ['调解书有用吗', 'kb-mediation'],
  ['买到假货怎么维权', 'kb-consumer'],
  ['出了车祸怎么赔', 'kb-traffic'],
  ['罚款不服怎么办', 'kb-admin-review'],
  ['户口怎么迁', 'kb-hukou-move'],
  ['办公证要带什么', 'kb-notary'],
  ['老赖不还钱', 'kb-enforcement-laolai'],
  ['银行卡借给别人用违法吗', 'kb-fraud-cards'],
  ['子女不管老人', 'kb-elderly-support'],
];

const PLACES = ['城关', '江滨', '湖滨', '东湖', '清江', '新城', '河西', '南门', '北站', '高新区', '开发区', '桃园', '柳林', '石桥', '白沙'];
const UNITS = ['派出所', '司法所', '人民法庭', '综治中心', '社区居委会', '人民调解委员会', '法律援助中心', '公共法律服务站'];
const TOPICS = ['办理指南', '常见问题', '政策解读', '温馨提示', '案例说法', '服务须知', '答疑', '流程说明'];

function vocabulary(rand: () => number, size: number): string[] {
  const require = createRequire(import.meta.url);
  const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
  const words: string[] = [];
  for (const line of Buffer.from(dict).toString('utf8').split('\n')) {
    const [w, f] = line.split(' ');
    const freq = Number(f);
    if (!w || !/^[\u4e00-\u9fff]{2,4}$/.test(w) || freq < 20 || freq > 5000) continue;
    words.push(w);
  }
  const out: string[] = [];
  for (let i = 0; i < size; i++) out.push(words[Math.floor(rand() * words.length)]!);
  return out;
}

interface Synthetic {
  doc: NewKbDoc;
  grams: string[];
}

function synthesize(n: number, categories: string[], regions: string[], now: number): Synthetic[] {
  const rand = mulberry32(20260301);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const sentences = STARTER_ARTICLES.flatMap((a) => a.body.flatMap((p) => p.split(/(?<=[。;:])/))).map((s) => s.replace(/^\d+\.\s*/, '').trim()).filter((s) => s.length > 6);
  const vocab = vocabulary(rand, 30_000);
  const out: Synthetic[] = [];
  for (let i = 0; i < n; i++) {
    const place = pick(PLACES);
    const unit = pick(UNITS);
    const w1 = pick(vocab);
    const w2 = pick(vocab);
    const title = `${place}${unit}${w1}${pick(TOPICS)}(第${i + 1}号)`;
    const body: string[] = [];
    const len = 4 + Math.floor(rand() * 6);
    for (let k = 0; k < len; k++) body.push(pick(sentences).replace(/派出所|司法所|法院/, unit));
    body.push(`${place}${unit}提醒:涉及${w1}、${w2}、${pick(vocab)}等事项,可以拨打${10000 + Math.floor(rand() * 89999)}咨询${pick(vocab)}。`);
    const text = body.join('');
    const summary = text.slice(0, 60);
    const keywords = [w1, w2, place];
    const legal = [{ law: pick(['中华人民共和国民法典', '中华人民共和国治安管理处罚法', '中华人民共和国人民调解法', '中华人民共和国法律援助法']), article: `第${1 + Math.floor(rand() * 300)}条` }];
    const analyzed = analyzeArticle({ title, summary, body: text, keywords, extra: legal.map((b) => `${b.law} ${b.article}`).join(' ') });
    out.push({
      doc: {
        article_id: `syn-${i}`,
        version: 1,
        title,
        summary,
        body_html: paragraphsToHtml(body),
        body_text: text,
        category_id: pick(categories),
        region_code: rand() < 0.1 ? pick(regions) : null,
        keywords: JSON.stringify(keywords),
        legal_basis: JSON.stringify(legal),
        valid_from: null,
        valid_to: rand() < 0.03 ? now - 86_400_000 : null,
        owner_unit_id: 'bench',
        published_at: now,
        title_t: analyzed.title.join(' '),
        extra_t: analyzed.extra.join(' '),
        body_t: analyzed.body.join(' '),
        length: analyzed.title.length + analyzed.extra.length + analyzed.body.length,
      },
      grams: analyzed.grams,
    });
  }
  return out;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const r1 = (x: number) => Math.round(x * 10) / 10;

async function bench(dialect: 'sqlite' | 'postgres', corpus: Synthetic[]) {
  const db = await tempDatabase(dialect, 'kbbench');
  const dir = db.dataDir;
  const env = { ...db.env, NODE_ENV: 'production', LOG_LEVEL: 'silent', NOTIFY_ENABLED: 'false' };
  const s: Services = await createServices(loadConfig(env));
  try {
    await seedDemo(s, { appeals: 0, seed: 1 }); // the demo org and the 41 starter articles
    const t0 = performance.now();
    const df = new Map<string, number>();
    for (const c of corpus) for (const t of termsOfDoc(c.doc, c.grams)) df.set(t, (df.get(t) ?? 0) + 1);
    await s.ctx.db.transaction().execute(async (trx) => {
      await knowledgeRepo.bulkInsertDocs(trx, dialect, corpus);
      await knowledgeRepo.bulkSetTerms(trx, df);
    });
    if (dialect === 'postgres') await sql`analyze kb_docs`.execute(s.ctx.db);
    else await sql`insert into kb_fts(kb_fts) values ('optimize')`.execute(s.ctx.db);
    const loadSeconds = (performance.now() - t0) / 1000;
    s.knowledge.engine.invalidate();
    const docs = (await knowledgeRepo.corpusStats(s.ctx.db)).docs;

    // Warm-up: caches, statistics, the planner.
    for (const [q] of QUERIES) await s.knowledge.engine.search(q, { limit: 5 });

    const lat: number[] = [];
    let hit1 = 0;
    let hit3 = 0;
    let grams = 0;
    for (let r = 0; r < ROUNDS; r++) {
      for (const [q, expected] of QUERIES) {
        const t = performance.now();
        const res = await s.knowledge.engine.search(q, { limit: 5 });
        lat.push(performance.now() - t);
        if (r === 0) {
          const ids = res.hits.map((h) => h.doc.article_id);
          if (expected && ids[0] === expected) hit1++;
          if (expected && ids.slice(0, 3).includes(expected)) hit3++;
          if (res.usedGrams) grams++;
        }
      }
    }

    // Baseline: LIKE over title and body for the question's words, ranked by how many it contains
    // (title ×3) — what a search without a full-text index must do to return the best answers.
    const likeLat: number[] = [];
    let likeHit1 = 0;
    let likeHit3 = 0;
    for (let r = 0; r < ROUNDS; r++) {
      for (const [q, expected] of QUERIES) {
        const words = kbJieba()
          .cut(q, true)
          .filter((w) => w.length >= 2 && !/怎么|什么|办法/.test(w));
        const t = performance.now();
        let rows: { article_id: string }[] = [];
        if (words.length) {
          const score = sql.join(
            words.map((w) => sql`(case when title like ${`%${w}%`} then 3 else 0 end) + (case when body_text like ${`%${w}%`} then 1 else 0 end)`),
            sql` + `,
          );
          rows = (await sql<{ article_id: string }>`select article_id from (select article_id, ${score} as s from kb_docs) x where s > 0 order by s desc limit 5`.execute(s.ctx.db)).rows;
        }
        likeLat.push(performance.now() - t);
        if (r === 0 && expected && rows[0]?.article_id === expected) likeHit1++;
        if (r === 0 && expected && rows.slice(0, 3).some((x) => x.article_id === expected)) likeHit3++;
      }
    }
    const size = dialect === 'sqlite' ? fs.statSync(path.join(dir, 'minbiao.db')).size : Number((await sql<{ n: number }>`select pg_database_size(current_database()) as n`.execute(s.ctx.db)).rows[0]!.n);
    const withAnswer = QUERIES.filter(([, e]) => e).length;
    return {
      dialect,
      articles: docs,
      load: { seconds: r1(loadSeconds), docsPerSecond: Math.round(corpus.length / loadSeconds), databaseMB: r1(size / 1e6) },
      search: { queries: lat.length, p50ms: r1(pct(lat, 50)), p95ms: r1(pct(lat, 95)), maxMs: r1(Math.max(...lat)), meanMs: r1(lat.reduce((a, b) => a + b, 0) / lat.length), hitAt1: `${hit1}/${withAnswer}`, hitAt3: `${hit3}/${withAnswer}`, typoFallbackUsed: grams },
      baselineLike: { queries: likeLat.length, p50ms: r1(pct(likeLat, 50)), p95ms: r1(pct(likeLat, 95)), maxMs: r1(Math.max(...likeLat)), hitAt1: `${likeHit1}/${withAnswer}`, hitAt3: `${likeHit3}/${withAnswer}` },
      speedup: { p50: r1(pct(likeLat, 50) / Math.max(0.01, pct(lat, 50))), p95: r1(pct(likeLat, 95) / Math.max(0.01, pct(lat, 95))) },
    };
  } finally {
    await s.close();
    await db.cleanup();
  }
}

const t = performance.now();
const now = Date.now();
const categories = ['fraud.victim', 'litigation.filing', 'dispute.neighbour', 'dispute.family', 'legal.aid', 'order.noise', 'dispute.property', 'legal.correction'];
const regions = ['361202001', '361202002', '361203001', '361204101', '361221101'];
const corpus = synthesize(Math.max(0, N - STARTER_ARTICLES.length + 1), categories, regions, now);
const analyseSeconds = (performance.now() - t) / 1000;
const results = [await bench('sqlite', corpus)];
if (!args.includes('--no-pg')) results.push(await bench('postgres', corpus));
process.stdout.write(
  `${JSON.stringify(
    {
      bench: 'knowledge-search',
      articles: N,
      rounds: ROUNDS,
      questions: QUERIES.length,
      analysis: { seconds: r1(analyseSeconds), docsPerSecond: Math.round(corpus.length / analyseSeconds), note: 'jieba search-mode segmentation of every article, once' },
      host: { cpus: os.cpus().length, node: process.version },
      results,
    },
    null,
    2,
  )}\n`,
);
