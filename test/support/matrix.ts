// The authorization matrix: who may call which endpoint. One entry per route of the Fastify route
// table (`METHOD url`, or `* url` for every method of a route); the matrix test calls every route as
// every actor and compares with `allow`, and the fuzz suite uses it to call each route as an actor who
// gets past authorization. A route without an entry fails the matrix test.
//
// Actors: the anonymous citizen and one staff user per role of the test org (test/factories/org.ts):
//   a district A (清江区: committee a, centre a-center, police stations a-ps1, a-ps2) and B (东湖区: b, b-center, b-ps1)
//   under the city committee. The shared appeal lives in A and is handled by a-ps1, so
//   inside = handA1 (its unit), dispA (A's centre), leaderA (A), leaderCity (above);
//   outside = handA2 (a sibling station), handB1, dispB (district B).
import { expect } from 'vitest';
import type { Harness } from './harness.ts';
import { act, REPLY, submit, submitBody, type Submitted } from './appeals.ts';
import { TEST_PASSWORD } from '../factories/org.ts';

export const ACTORS = ['anon', 'handA1', 'handA2', 'handB1', 'dispA', 'dispB', 'leaderA', 'leaderCity', 'sysadmin', 'secadmin', 'auditor'] as const;
export type Actor = (typeof ACTORS)[number];

export const EVERYONE: readonly Actor[] = ACTORS;
export const STAFF: readonly Actor[] = ACTORS.filter((a) => a !== 'anon');
/** Roles doing the work on appeals (handler, dispatcher, leader). */
export const BUSINESS: readonly Actor[] = ['handA1', 'handA2', 'handB1', 'dispA', 'dispB', 'leaderA', 'leaderCity'];
export const DISPATCHERS: readonly Actor[] = ['dispA', 'dispB'];
export const LEADERS: readonly Actor[] = ['leaderA', 'leaderCity'];
export const NOBODY: readonly Actor[] = [];
/** Those who see district A's a-ps1 (its unit, the district's centre and committee, the city). */
export const INSIDE_A_PS1: readonly Actor[] = ['handA1', 'dispA', 'leaderA', 'leaderCity'];

export interface Req {
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** A raw body (file uploads) instead of JSON. */
  raw?: { payload: string | Buffer; contentType: string };
}

export interface Entry {
  /** Actors who get past authorization; everyone else must get 401 (anonymous) or 403/404. */
  allow: readonly Actor[];
  /** Builds the request (fixture ids, a valid body). Without it: the route's url as is, no body. */
  build?: (fx: Fixtures, actor: Actor) => Promise<Req | string> | Req | string;
  /** Build a fresh request (fixture) for every allowed actor: the call changes what it acts on. */
  fresh?: boolean;
  /** Statuses besides 2xx that still show the call got past authorization (e.g. a state conflict). */
  ok?: readonly number[];
  /** Statuses besides 401/403/404 that mean refused (protocols with their own error codes). */
  deny?: readonly number[];
  /** What an anonymous caller gets when refused (default 401: not signed in). */
  anonStatus?: number;
  /** The case's name when a route has several. */
  name?: string;
}

export type Matrix = Record<string, Entry | Entry[]>;

const iso = (ms: number) => new Date(ms).toISOString();

/** Everything the entries act on, made through the API as the people concerned would. */
export class Fixtures {
  private n = 0;
  shared!: {
    /** Dispatched to a-ps1. */
    appeal: Submitted;
    /** Replied by a-ps1, with an open 回访 (callback) task. */
    replied: Submitted;
    callbackTaskId: string;
    userId: string;
    consultationId: string;
    suggestionId: string;
    consultationTaskId: string;
    roundId: string;
    articleId: string;
    publishedArticleId: string;
    searchQueryId: string;
    snapshotId: string;
    importJobId: string;
    apiKeyId: string;
    outboxId: string | null;
  };

  constructor(readonly h: Harness) {}

  next(): number {
    return ++this.n;
  }

  async ok<T = Record<string, unknown>>(user: string | null, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const r = await this.h.api(user, method, url, body, headers);
    expect(r.statusCode, `fixture ${user} ${method} ${url}: ${r.body}`).toBeLessThan(300);
    return r.json() as T;
  }

  // ---- appeals in every state ----------------------------------------------------------------------

  async appeal(state: 'submitted' | 'dispatched' | 'accepted' | 'contacted' | 'replied' | 'closed' | 'extension' | 'unreasonable' | 'rating_appeal'): Promise<Submitted> {
    const a = await submit(this.h, { title: `矩阵测试 ${this.next()}` });
    if (state === 'submitted') return a;
    await act(this.h, 'dispA', a.id, { action: 'dispatch', unitId: 'a-ps1' });
    if (state === 'dispatched') return a;
    await act(this.h, 'handA1', a.id, { action: 'accept' });
    if (state === 'accepted') return a;
    if (state === 'extension') {
      await act(this.h, 'handA1', a.id, { action: 'request_extension', days: 2, reason: '需要现场核查' });
      return a;
    }
    if (state === 'unreasonable') {
      await act(this.h, 'handA1', a.id, { action: 'flag_unreasonable', reason: '诉求明显超出法定职责范围' });
      return a;
    }
    await act(this.h, 'handA1', a.id, { action: 'contact', method: 'phone' });
    if (state === 'contacted') return a;
    await act(this.h, 'handA1', a.id, { action: 'reply', text: REPLY });
    if (state === 'replied') return a;
    const rated = await this.h.api(null, 'POST', '/api/v1/track/rating', { trackingCode: a.trackingCode, secret: '13812345678', level: 1, solved: 'no', contacted: true });
    expect(rated.statusCode, rated.body).toBe(200);
    if (state === 'closed') return a;
    await act(this.h, 'handA1', a.id, { action: 'appeal_rating', reason: '群众评价与事实不符,申请复核' });
    return a;
  }

  // ---- participation --------------------------------------------------------------------------------

  async suggestion(consultationId = this.shared.consultationId): Promise<string> {
    const r = await this.ok<{ id: string }>(null, 'POST', `/api/v1/consultations/${consultationId}/suggestions`, {
      title: `建议标题 ${this.next()}`,
      body: '建议在小区门口增设夜间巡逻岗亭,提升群众安全感。',
      phone: this.phone(),
    });
    return r.id;
  }

  async adoptedSuggestion(): Promise<string> {
    const sid = await this.suggestion();
    await this.ok('dispA', 'POST', `/api/v1/consultations/${this.shared.consultationId}/suggestions/${sid}/answer`, { outcome: 'adopted', reason: '建议可行,予以采纳。', action: '由城关派出所落实夜间巡逻。' });
    return sid;
  }

  async consultationTask(): Promise<string> {
    const sid = await this.adoptedSuggestion();
    const t = await this.ok<{ id: string }>('dispA', 'POST', `/api/v1/consultations/${this.shared.consultationId}/suggestions/${sid}/tasks`, {
      title: '增设巡逻岗亭',
      description: '在丽华小区门口增设夜间巡逻岗亭。',
      unitId: 'a-ps1',
      dueAt: iso(this.h.clock.now + 30 * 86_400_000),
    });
    return t.id;
  }

  phone(): string {
    return `135${String(10_000_000 + this.next()).slice(-8)}`;
  }

  /** A region in the actor's own scope (consultations and survey rounds are opened for one). */
  regionOf(actor: Actor): string {
    return actor === 'dispB' || actor === 'handB1' ? '360603' : '360602';
  }

  // ---- set-up ---------------------------------------------------------------------------------------

  async init(): Promise<void> {
    const h = this.h;
    const appeal = await this.appeal('dispatched');
    const replied = await this.appeal('replied');
    // The 回访 task appears when the handling deadline passes unrated.
    h.clock.now += 10 * 86_400_000;
    await h.scheduler.tick();
    const task = await h.s.ctx.db.selectFrom('tasks').select('id').where('appeal_id', '=', replied.id).where('kind', '=', 'callback').executeTakeFirstOrThrow();

    const user = await this.ok<{ id: string }>('sysadmin', 'POST', '/api/v1/users', { username: 'matrixuser', displayName: '矩阵用户', password: 'Mx-Passw0rd-2026', unitId: 'a-ps1', roles: ['handler'] });

    const opensAt = iso(h.clock.now - 86_400_000);
    const closesAt = iso(h.clock.now + 60 * 86_400_000);
    const consultation = await this.ok<{ id: string }>('dispA', 'POST', '/api/v1/consultations', {
      title: '社区治安意见征集',
      background: '为提升社区治安水平,现向社会公开征集意见建议。',
      regionCode: '360602',
      opensAt,
      closesAt,
      published: true,
    });
    this.shared = { appeal, replied, callbackTaskId: task.id, userId: user.id, consultationId: consultation.id } as Fixtures['shared'];
    this.shared.suggestionId = await this.suggestion();
    this.shared.consultationTaskId = await this.consultationTask();

    const round = await this.ok<{ id: string }>('dispA', 'POST', '/api/v1/survey/rounds', { name: '群众安全感调查', regionCode: '360602', opensAt, closesAt });
    await this.ok('dispA', 'PATCH', `/api/v1/survey/rounds/${round.id}`, { status: 'open' });
    this.shared.roundId = round.id;

    const draft = await this.ok<{ id: string }>('handA1', 'POST', '/api/v1/kb/articles', { title: '噪声扰民如何投诉', bodyHtml: '<p>夜间施工噪声可以向公安机关或生态环境部门投诉。</p>', keywords: ['噪声', '施工'] });
    this.shared.articleId = draft.id;
    const pub = await this.ok<{ id: string }>('handA1', 'POST', '/api/v1/kb/articles', { title: '被电信诈骗后怎么办', bodyHtml: '<p>立即拨打110报警,并保存转账记录。</p>', keywords: ['诈骗', '报警'] });
    await this.ok('dispA', 'POST', `/api/v1/kb/articles/${pub.id}/actions`, { action: 'review' });
    await this.ok('dispA', 'POST', `/api/v1/kb/articles/${pub.id}/actions`, { action: 'publish' });
    this.shared.publishedArticleId = pub.id;
    const search = await this.ok<{ queryId: string }>(null, 'GET', `/api/v1/kb/search?q=${encodeURIComponent('诈骗 报警')}&session=matrix-session-0001`);
    this.shared.searchQueryId = search.queryId;

    const snapshot = await this.ok<{ id: string }>('leaderCity', 'POST', '/api/v1/metrics/snapshots', { period: '2026-02' });
    this.shared.snapshotId = snapshot.id;

    const job = await this.upload('dispA');
    this.shared.importJobId = job;
    const key = await this.ok<{ id: string }>('secadmin', 'POST', '/api/v1/interop/apikeys', { name: '矩阵测试客户端' });
    this.shared.apiKeyId = key.id;

    const outbox = await h.s.ctx.db.selectFrom('notify_outbox' as never).select('id' as never).limit(1).executeTakeFirst().catch(() => undefined);
    this.shared.outboxId = (outbox as { id?: string } | undefined)?.id ?? null;
  }

  /** An uploaded (not started) import job. */
  async upload(user: string): Promise<string> {
    const token = this.h.tokens[user] ?? (await this.h.login(user));
    const csv = '工单编号,标题,内容,区划\nX1,测试导入,导入的诉求内容足够长用于测试,360602001\n';
    const r = await this.h.app.inject({ method: 'POST', url: `/api/v1/interop/imports?fileName=matrix-${this.next()}.csv`, payload: csv, headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' } });
    expect(r.statusCode, r.body).toBe(201);
    return (r.json() as { id: string }).id;
  }
}

export { TEST_PASSWORD, submitBody };
