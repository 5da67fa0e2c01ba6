// The authorization matrix of every API endpoint (see test/support/matrix.ts for the actors and the
// fixtures). `allow` lists who gets past authorization; everyone else is refused: 401 without a
// session, 403 for a role without the permission, 404 for an object outside the data scope (no
// existence oracle). A new route needs an entry here, or authorization-matrix.test.ts fails.
import { BUSINESS, DISPATCHERS, EVERYONE, INSIDE_A_PS1, LEADERS, NOBODY, STAFF, submitBody, TEST_PASSWORD, type Actor, type Entry, type Matrix } from '../support/matrix.ts';

const A = (...a: Actor[]): readonly Actor[] => a;
const iso = (ms: number) => new Date(ms).toISOString();
const APPEAL_READERS = INSIDE_A_PS1;
const CONSULTATION_MANAGERS = A('dispA', 'dispB', 'leaderA', 'leaderCity');
const MANAGE_A = A('dispA', 'leaderA', 'leaderCity');
const KB_PUBLISH = A('dispA', 'dispB', 'leaderA', 'leaderCity');

/** One case of POST /appeals/:id/actions: an appeal in `state`, fresh for each allowed actor. */
const action = (state: Parameters<import('../support/matrix.ts').Fixtures['appeal']>[0], body: Record<string, unknown> | ((fx: import('../support/matrix.ts').Fixtures) => Promise<Record<string, unknown>>), allow: readonly Actor[]): Entry => ({
  name: String(typeof body === 'function' ? 'merge' : body.action),
  allow,
  fresh: true,
  build: async (fx) => {
    const a = await fx.appeal(state);
    return { url: `/api/v1/appeals/${a.id}/actions`, body: typeof body === 'function' ? await body(fx) : body };
  },
});

export const MATRIX: Matrix = {
  // ---- documentation, health, public reference data ---------------------------------------------------
  'GET /api/docs/static/index.html': { allow: EVERYONE },
  'GET /api/docs/static/swagger-initializer.js': { allow: EVERYONE },
  'GET /api/docs/json': { allow: EVERYONE },
  'GET /api/docs/yaml': { allow: EVERYONE },
  'GET /api/docs/static/*': { allow: EVERYONE, build: () => '/api/docs/static/swagger-ui.css' },
  'GET /api/docs': { allow: EVERYONE, ok: [302] },
  'GET /api/health': { allow: EVERYONE },
  'GET /api/v1/categories': { allow: EVERYONE },
  'GET /api/v1/regions': { allow: EVERYONE },
  'GET /api/v1/captcha': { allow: EVERYONE },
  'GET /api/v1/security/policy': { allow: EVERYONE },

  // ---- sign-in and my account ---------------------------------------------------------------------------
  'POST /api/v1/auth/login': { allow: EVERYONE, build: () => ({ url: '/api/v1/auth/login', body: { username: 'handB1', password: TEST_PASSWORD } }) },
  'POST /api/v1/auth/logout': { allow: STAFF, build: () => ({ url: '/api/v1/auth/logout', body: {} }) },
  'GET /api/v1/auth/me': { allow: STAFF },
  // A wrong current password: refused as such (400) once past authentication.
  'POST /api/v1/auth/password': { allow: STAFF, ok: [400], build: () => ({ url: '/api/v1/auth/password', body: { oldPassword: 'Not-The-Passw0rd', newPassword: 'Whatever-Passw0rd-1' } }) },
  // The 三员 are enrolled already (409); the others start enrolling.
  'POST /api/v1/auth/mfa/setup': { allow: STAFF, ok: [409], build: () => ({ url: '/api/v1/auth/mfa/setup', body: {} }) },
  'POST /api/v1/auth/mfa/confirm': { allow: STAFF, ok: [400, 409], build: () => ({ url: '/api/v1/auth/mfa/confirm', body: { code: '000000' } }) },
  // Turning the factor off: never for the roles that require it (403); the others get a wrong-code 400.
  'POST /api/v1/auth/mfa/disable': { allow: BUSINESS, ok: [400], build: () => ({ url: '/api/v1/auth/mfa/disable', body: { password: TEST_PASSWORD, code: '000000' } }) },

  // ---- org, users, categories, calendar (system and security admin) --------------------------------------
  'GET /api/v1/units': { allow: STAFF },
  // a-ps1: its own unit and those above see it; the 三员 see the whole tree; siblings and district B do not.
  'GET /api/v1/units/:id': { allow: A('handA1', 'dispA', 'leaderA', 'leaderCity', 'sysadmin', 'secadmin', 'auditor'), build: () => '/api/v1/units/a-ps1' },
  'POST /api/v1/units': {
    allow: A('sysadmin'),
    fresh: true,
    build: (fx) => ({ url: '/api/v1/units', body: { id: `mx-unit-${fx.next()}`, parentId: 'a', name: '矩阵测试派出所', type: 'police_station', level: 'township', regionCode: '360602001' } }),
  },
  'PATCH /api/v1/units/:id': { allow: A('sysadmin'), build: (fx) => ({ url: '/api/v1/units/a-ps2', body: { population: 50_000 + fx.next() } }) },
  'GET /api/v1/users': { allow: A('sysadmin', 'secadmin') },
  'POST /api/v1/users': {
    allow: A('sysadmin', 'secadmin'),
    fresh: true,
    build: (fx) => ({ url: '/api/v1/users', body: { username: `mxnew${fx.next()}`, displayName: '新用户', password: 'Mx-Passw0rd-2026', unitId: 'a-ps1', roles: ['handler'] } }),
  },
  'PATCH /api/v1/users/:id': { allow: A('sysadmin', 'secadmin'), build: (fx) => ({ url: `/api/v1/users/${fx.shared.userId}`, body: { displayName: `矩阵用户${fx.next()}` } }) },
  'POST /api/v1/users/:id/password': { allow: A('sysadmin', 'secadmin'), build: (fx) => ({ url: `/api/v1/users/${fx.shared.userId}/password`, body: { password: `Tmp-Passw0rd-${fx.next()}` } }) },
  'POST /api/v1/users/:id/unlock': { allow: A('sysadmin', 'secadmin'), build: (fx) => `/api/v1/users/${fx.shared.userId}/unlock` },
  'POST /api/v1/users/:id/mfa/reset': { allow: A('secadmin'), build: (fx) => `/api/v1/users/${fx.shared.userId}/mfa/reset` },
  'POST /api/v1/categories': {
    allow: A('sysadmin'),
    fresh: true,
    build: (fx) => ({ url: '/api/v1/categories', body: { id: `mx.cat${fx.next()}`, parentId: 'order', name: '矩阵类别', nameEn: 'Matrix' } }),
  },
  'PATCH /api/v1/categories/:id': { allow: A('sysadmin'), build: (fx) => ({ url: '/api/v1/categories/fraud', body: { sort: fx.next() } }) },
  'GET /api/v1/calendar/overrides': { allow: STAFF },
  'PUT /api/v1/calendar/overrides/:date': { allow: A('sysadmin'), build: () => ({ url: '/api/v1/calendar/overrides/2026-12-31', body: { workday: false, note: '测试' } }) },
  'DELETE /api/v1/calendar/overrides/:date': { allow: A('sysadmin'), ok: [404], build: () => '/api/v1/calendar/overrides/2026-12-31' },

  // ---- appeals ----------------------------------------------------------------------------------------
  // Citizens (with the captcha) and the hotline (dispatchers); no other role enters appeals.
  'POST /api/v1/appeals': { allow: A('anon', 'dispA', 'dispB'), build: () => ({ url: '/api/v1/appeals', body: submitBody() }) },
  'GET /api/v1/appeals': { allow: BUSINESS },
  'GET /api/v1/appeals/:id': { allow: APPEAL_READERS, build: (fx) => `/api/v1/appeals/${fx.shared.appeal.id}` },
  'GET /api/v1/appeals/:id/events': { allow: APPEAL_READERS, build: (fx) => `/api/v1/appeals/${fx.shared.appeal.id}/events` },
  'POST /api/v1/appeals/:id/unmask': { allow: A('handA1', 'dispA'), build: (fx) => ({ url: `/api/v1/appeals/${fx.shared.appeal.id}/unmask`, body: { reason: '回访需要联系群众' } }) },
  // ---- text intelligence ---------------------------------------------------------------------------------
  'GET /api/v1/appeals/:id/insight': { allow: APPEAL_READERS, build: (fx) => `/api/v1/appeals/${fx.shared.appeal.id}/insight` },
  // The draft-reply check: the unit holding the appeal only.
  'POST /api/v1/appeals/:id/reply-check': { allow: A('handA1'), build: (fx) => ({ url: `/api/v1/appeals/${fx.shared.appeal.id}/reply-check`, body: { text: '经查已处理完毕,依据相关规定作出答复。' } }) },
  'GET /api/v1/risk-alerts': { allow: BUSINESS },
  'POST /api/v1/classify': { allow: EVERYONE, build: () => ({ url: '/api/v1/classify', body: { title: '楼上噪音扰民', body: '每天半夜拖椅子,吵得睡不着。' } }) },
  'GET /api/v1/dispatch-catalogue': { allow: STAFF },
  'PUT /api/v1/dispatch-catalogue': { allow: A('sysadmin'), build: () => ({ url: '/api/v1/dispatch-catalogue', body: { categoryId: 'order.noise', regionCode: '360602001', unitId: 'a-ps1' } }) },
  'GET /api/v1/hotspots': { allow: BUSINESS },
  // A hotspot owned by a-ps1: its unit and those above see it.
  'GET /api/v1/hotspots/:id': {
    allow: INSIDE_A_PS1,
    build: async (fx) => {
      const id = 'mx-hotspot-a-ps1';
      const exists = await fx.h.s.ctx.db.selectFrom('hotspots').select('id').where('id', '=', id).executeTakeFirst();
      if (!exists) {
        const unit = await fx.h.s.org.require('a-ps1');
        const now = fx.h.clock.now;
        await fx.h.s.ctx.db
          .insertInto('hotspots')
          .values({ id, region_code: '360602001', label: '矩阵小区 · 夜间噪音', place: '矩阵小区', problem: '夜间噪音', keywords: '["噪音"]', heat: 10, heat_parts: '{}', appeals: 3, citizens: 3, trend: '[]', owner_unit_id: unit.id, owner_unit_path: unit.path, status: 'active', first_at: now, last_at: now, resolved_at: null, updated_at: now })
          .execute();
      }
      return `/api/v1/hotspots/${id}`;
    },
  },
  'POST /api/v1/hotspots/refresh': { allow: A('dispA', 'dispB', 'leaderA', 'leaderCity'), build: () => ({ url: '/api/v1/hotspots/refresh', body: {} }) },
  'GET /api/v1/text/model': { allow: A(...BUSINESS, 'sysadmin') },
  'POST /api/v1/text/model/retrain': { allow: A('sysadmin'), build: () => ({ url: '/api/v1/text/model/retrain', body: {} }) },

  'POST /api/v1/appeals/:id/actions': [
    action('submitted', { action: 'dispatch', unitId: 'a-ps1' }, A('dispA')),
    action('dispatched', { action: 'accept' }, A('handA1')),
    action('dispatched', { action: 'return', reason: '不属本单位管辖' }, A('handA1')),
    action('dispatched', { action: 'transfer', unitId: 'a-ps2', reason: '辖区调整' }, A('dispA')),
    action('accepted', { action: 'contact', method: 'phone' }, A('handA1')),
    action('contacted', { action: 'reply', text: '经查已处理完毕,依据相关规定作出答复,请您评价。' }, A('handA1')),
    action('accepted', { action: 'request_extension', days: 2, reason: '需要现场核查' }, A('handA1')),
    action('extension', { action: 'decide_extension', approved: true }, A('dispA')),
    action('dispatched', { action: 'supervise', note: '请加快办理' }, A('dispA', 'leaderA', 'leaderCity')),
    action('replied', { action: 'close', reason: '已办结' }, A('dispA')),
    action('closed', { action: 'reopen', reason: '群众不满意,重新办理' }, A('dispA')),
    action('submitted', async (fx) => ({ action: 'merge', intoId: (await fx.appeal('submitted')).id }), A('dispA')),
    action('submitted', { action: 'redirect', channel: 'litigation', guidance: '请依法向人民法院提起诉讼。' }, A('dispA')),
    action('accepted', { action: 'flag_unreasonable', reason: '诉求明显超出法定职责范围' }, A('handA1')),
    action('unreasonable', { action: 'decide_unreasonable', approved: false }, A('dispA')),
    action('closed', { action: 'appeal_rating', reason: '群众评价与事实不符,申请复核' }, A('handA1')),
    action('rating_appeal', { action: 'decide_rating_appeal', upheld: false }, LEADERS),
    action('replied', { action: 'rate', level: 4, solved: 'yes', contacted: true }, A('dispA')),
  ],
  // The citizen's side: tracking code + phone, with the captcha; nothing to do with staff sessions.
  'POST /api/v1/track': { allow: EVERYONE, build: (fx) => ({ url: '/api/v1/track', body: { trackingCode: fx.shared.appeal.trackingCode, secret: '13812345678' } }) },
  'POST /api/v1/track/rating': {
    allow: EVERYONE,
    fresh: true,
    build: async (fx) => ({ url: '/api/v1/track/rating', body: { trackingCode: (await fx.appeal('replied')).trackingCode, secret: '13812345678', level: 5, solved: 'yes', contacted: true } }),
  },
  'GET /api/v1/tasks': { allow: BUSINESS },
  'POST /api/v1/tasks/:id/callback': {
    allow: A('dispA'),
    fresh: true,
    build: async (fx) => {
      const a = await fx.appeal('replied');
      fx.h.clock.now += 10 * 86_400_000;
      await fx.h.scheduler.tick();
      const t = await fx.h.s.ctx.db.selectFrom('tasks').select('id').where('appeal_id', '=', a.id).where('kind', '=', 'callback').executeTakeFirstOrThrow();
      return { url: `/api/v1/tasks/${t.id}/callback`, body: { reached: false, note: '电话无人接听' } };
    },
  },

  // ---- audit (the auditor only) -------------------------------------------------------------------------
  'GET /api/v1/audit': { allow: A('auditor') },
  'GET /api/v1/audit/verify': { allow: A('auditor') },

  // ---- figures (issue 3) ------------------------------------------------------------------------------
  'GET /api/v1/metrics/summary': { allow: APPEAL_READERS, build: () => '/api/v1/metrics/summary?unitId=a-ps1' },
  'GET /api/v1/metrics/units/:id': { allow: APPEAL_READERS, build: () => '/api/v1/metrics/units/a-ps1' },
  'GET /api/v1/metrics/peer-groups': { allow: [...BUSINESS, 'auditor'] },
  'GET /api/v1/metrics/rankings': { allow: [...BUSINESS, 'auditor'], build: () => '/api/v1/metrics/rankings?peerGroup=police_station:township' },
  'GET /api/v1/metrics/funnel': { allow: [...BUSINESS, 'auditor'], build: () => '/api/v1/metrics/funnel?peerGroup=police_station:township' },
  'GET /api/v1/metrics/breakdown': { allow: APPEAL_READERS, build: () => '/api/v1/metrics/breakdown?unitId=a-ps1' },
  'GET /api/v1/metrics/drilldown': { allow: APPEAL_READERS, build: () => '/api/v1/metrics/drilldown?unitId=a-ps1&metric=volume' },
  'GET /api/v1/metrics/appeals/:id': { allow: APPEAL_READERS, build: (fx) => `/api/v1/metrics/appeals/${fx.shared.appeal.id}` },
  'GET /api/v1/metrics/snapshots': { allow: [...BUSINESS, 'auditor'] },
  'GET /api/v1/metrics/snapshots/:id': { allow: [...BUSINESS, 'auditor'], build: (fx) => `/api/v1/metrics/snapshots/${fx.shared.snapshotId}` },
  'GET /api/v1/metrics/snapshots/:id/drilldown': { allow: [...APPEAL_READERS, 'auditor'], build: (fx) => `/api/v1/metrics/snapshots/${fx.shared.snapshotId}/drilldown?unitId=a-ps1&metric=volume` },
  'POST /api/v1/metrics/snapshots': { allow: LEADERS, fresh: true, ok: [409], build: (fx) => ({ url: '/api/v1/metrics/snapshots', body: { period: `2025-${String((fx.next() % 12) + 1).padStart(2, '0')}` } }) },
  'POST /api/v1/metrics/snapshots/:id/verify': { allow: [...LEADERS, 'auditor'], build: (fx) => `/api/v1/metrics/snapshots/${fx.shared.snapshotId}/verify` },
  'GET /api/v1/metrics/config': { allow: [...BUSINESS, 'sysadmin', 'auditor'] },
  'PUT /api/v1/metrics/config': { allow: A('sysadmin'), build: async (fx) => ({ url: '/api/v1/metrics/config', body: await fx.h.s.scoring.config() }) },
  'GET /api/v1/metrics/signals': { allow: A('auditor') },

  // ---- consultations and surveys (participation) ---------------------------------------------------------
  'GET /api/v1/consultations': { allow: EVERYONE },
  'GET /api/v1/consultations/:id': { allow: EVERYONE, build: (fx) => `/api/v1/consultations/${fx.shared.consultationId}` },
  'GET /api/v1/consultations/:id/suggestions': { allow: EVERYONE, build: (fx) => `/api/v1/consultations/${fx.shared.consultationId}/suggestions` },
  'GET /api/v1/consultations/:id/results': { allow: EVERYONE, build: (fx) => `/api/v1/consultations/${fx.shared.consultationId}/results` },
  'POST /api/v1/consultations/:id/suggestions': {
    allow: EVERYONE,
    fresh: true,
    build: (fx) => ({ url: `/api/v1/consultations/${fx.shared.consultationId}/suggestions`, body: { title: `建议 ${fx.next()}`, body: '建议在路口增设红绿灯,方便群众出行。', phone: fx.phone() } }),
  },
  'POST /api/v1/consultations/:id/suggestions/:sid/support': {
    allow: EVERYONE,
    fresh: true,
    build: (fx) => ({ url: `/api/v1/consultations/${fx.shared.consultationId}/suggestions/${fx.shared.suggestionId}/support`, body: { phone: fx.phone() } }),
  },
  'GET /api/v1/consultations/managed': { allow: CONSULTATION_MANAGERS },
  'POST /api/v1/consultations': {
    allow: CONSULTATION_MANAGERS,
    fresh: true,
    build: (fx, actor) => ({
      url: '/api/v1/consultations',
      body: { title: `意见征集 ${fx.next()}`, background: '向社会公开征集意见建议,欢迎参与。', regionCode: fx.regionOf(actor), opensAt: iso(fx.h.clock.now), closesAt: iso(fx.h.clock.now + 30 * 86_400_000) },
    }),
  },
  'GET /api/v1/consultations/:id/manage': { allow: MANAGE_A, build: (fx) => `/api/v1/consultations/${fx.shared.consultationId}/manage` },
  'PATCH /api/v1/consultations/:id': { allow: MANAGE_A, build: (fx) => ({ url: `/api/v1/consultations/${fx.shared.consultationId}`, body: { premoderation: false } }) },
  'GET /api/v1/consultations/:id/suggestions/managed': { allow: MANAGE_A, build: (fx) => `/api/v1/consultations/${fx.shared.consultationId}/suggestions/managed` },
  'GET /api/v1/consultations/:id/suggestions/:sid/history': { allow: MANAGE_A, build: (fx) => `/api/v1/consultations/${fx.shared.consultationId}/suggestions/${fx.shared.suggestionId}/history` },
  'POST /api/v1/consultations/:id/suggestions/:sid/moderation': {
    allow: MANAGE_A,
    fresh: true,
    build: async (fx) => ({ url: `/api/v1/consultations/${fx.shared.consultationId}/suggestions/${await fx.suggestion()}/moderation`, body: { action: 'hide', reason: 'off_topic', note: '与征集主题无关' } }),
  },
  'POST /api/v1/consultations/:id/suggestions/:sid/answer': {
    allow: MANAGE_A,
    fresh: true,
    build: async (fx) => ({ url: `/api/v1/consultations/${fx.shared.consultationId}/suggestions/${await fx.suggestion()}/answer`, body: { outcome: 'partly_adopted', reason: '部分采纳,逐步推进。', action: '先在主要路口试点。' } }),
  },
  'POST /api/v1/consultations/:id/suggestions/:sid/tasks': {
    allow: MANAGE_A,
    fresh: true,
    build: async (fx) => ({
      url: `/api/v1/consultations/${fx.shared.consultationId}/suggestions/${await fx.adoptedSuggestion()}/tasks`,
      body: { title: '落实建议', description: '按建议落实整改。', unitId: 'a-ps1', dueAt: iso(fx.h.clock.now + 20 * 86_400_000) },
    }),
  },
  'POST /api/v1/consultations/:id/suggestions/:sid/unmask': { allow: A('dispA'), build: (fx) => ({ url: `/api/v1/consultations/${fx.shared.consultationId}/suggestions/${fx.shared.suggestionId}/unmask`, body: { reason: '核实建议人身份' } }) },
  // Those managing the consultation, and the unit responsible for the task (a-ps1).
  'POST /api/v1/consultation-tasks/:id/progress': {
    allow: [...MANAGE_A, 'handA1'],
    fresh: true,
    build: async (fx) => ({ url: `/api/v1/consultation-tasks/${await fx.consultationTask()}/progress`, body: { note: '已开始落实', status: 'in_progress' } }),
  },
  'GET /api/v1/consultations/:id/export.xlsx': { allow: MANAGE_A, build: (fx) => `/api/v1/consultations/${fx.shared.consultationId}/export.xlsx` },
  'GET /api/v1/surveys/open': { allow: EVERYONE },
  'GET /api/v1/surveys/:id': { allow: EVERYONE, build: (fx) => `/api/v1/surveys/${fx.shared.roundId}` },
  'POST /api/v1/surveys/:id/responses': {
    allow: EVERYONE,
    fresh: true,
    build: async (fx) => {
      const q = (await fx.ok<{ questionnaire: { questions: { id: string; kind: string; options: { value: string }[] }[] } }>(null, 'GET', `/api/v1/surveys/${fx.shared.roundId}`)).questionnaire;
      const answers = Object.fromEntries(q.questions.filter((x) => x.kind === 'scale').map((x) => [x.id, x.options[0]!.value]));
      return { url: `/api/v1/surveys/${fx.shared.roundId}/responses`, body: { regionCode: '360602', sex: 'female', ageGroup: '30-39', answers, phone: fx.phone() } };
    },
  },
  'GET /api/v1/survey/template': { allow: STAFF },
  // Readers of results (metrics.read, org.manage) list the rounds that concern them; district B sees none of A's.
  'GET /api/v1/survey/rounds': { allow: [...BUSINESS, 'sysadmin'] },
  'POST /api/v1/survey/rounds': {
    allow: CONSULTATION_MANAGERS,
    fresh: true,
    build: (fx, actor) => ({ url: '/api/v1/survey/rounds', body: { name: `调查 ${fx.next()}`, regionCode: fx.regionOf(actor), opensAt: iso(fx.h.clock.now), closesAt: iso(fx.h.clock.now + 30 * 86_400_000) } }),
  },
  'GET /api/v1/survey/rounds/:id': { allow: [...INSIDE_A_PS1, 'handA2', 'sysadmin'], build: (fx) => `/api/v1/survey/rounds/${fx.shared.roundId}` },
  'PATCH /api/v1/survey/rounds/:id': { allow: MANAGE_A, build: (fx) => ({ url: `/api/v1/survey/rounds/${fx.shared.roundId}`, body: { name: `群众安全感调查 ${fx.next()}` } }) },
  'POST /api/v1/survey/rounds/:id/responses': {
    allow: MANAGE_A,
    build: async (fx) => {
      const q = (await fx.ok<{ questionnaire: { questions: { id: string; kind: string; options: { value: string }[] }[] } }>(null, 'GET', `/api/v1/surveys/${fx.shared.roundId}`)).questionnaire;
      const answers = Object.fromEntries(q.questions.filter((x) => x.kind === 'scale').map((x) => [x.id, x.options[0]!.value]));
      return { url: `/api/v1/survey/rounds/${fx.shared.roundId}/responses`, body: { regionCode: '360602', sex: 'male', ageGroup: '40-49', answers } };
    },
  },
  'GET /api/v1/survey/rounds/:id/results': { allow: [...INSIDE_A_PS1, 'handA2', 'sysadmin'], build: (fx) => `/api/v1/survey/rounds/${fx.shared.roundId}/results` },
  'GET /api/v1/survey/rounds/:id/export.xlsx': { allow: [...INSIDE_A_PS1, 'handA2', 'sysadmin'], build: (fx) => `/api/v1/survey/rounds/${fx.shared.roundId}/export.xlsx` },
  'GET /api/v1/survey/trend': { allow: [...BUSINESS, 'sysadmin'], build: () => '/api/v1/survey/trend' },
  'GET /api/v1/survey/margins': { allow: [...BUSINESS, 'sysadmin'] },
  'PUT /api/v1/survey/margins/:regionCode': {
    allow: A('dispA', 'leaderA', 'leaderCity', 'sysadmin'),
    build: () => ({ url: '/api/v1/survey/margins/360602', body: { source: '第七次人口普查', cells: ['18-29', '30-39', '40-49', '50-59', '60+'].flatMap((ageGroup) => ['male', 'female'].map((sex) => ({ ageGroup, sex, population: 1000 }))) } }),
  },

  // ---- knowledge base (issue: 知识库) -------------------------------------------------------------------
  'GET /api/v1/kb/search': { allow: EVERYONE, build: () => `/api/v1/kb/search?q=${encodeURIComponent('噪声')}` },
  'GET /api/v1/kb/articles/:id/public': { allow: EVERYONE, build: (fx) => `/api/v1/kb/articles/${fx.shared.publishedArticleId}/public` },
  'POST /api/v1/kb/queries/:id/click': { allow: EVERYONE, build: (fx) => ({ url: `/api/v1/kb/queries/${fx.shared.searchQueryId}/click`, body: { articleId: fx.shared.publishedArticleId } }) },
  'POST /api/v1/kb/resolutions': {
    allow: EVERYONE,
    fresh: true,
    ok: [409],
    build: async (fx) => {
      const search = await fx.ok<{ queryId: string }>(null, 'GET', `/api/v1/kb/search?q=${encodeURIComponent('诈骗 报警')}&session=matrix-visit-${fx.next()}`);
      return { url: '/api/v1/kb/resolutions', body: { queryId: search.queryId, articleId: fx.shared.publishedArticleId } };
    },
  },
  'GET /api/v1/kb/articles': { allow: BUSINESS },
  'POST /api/v1/kb/articles': { allow: BUSINESS, fresh: true, build: (fx) => ({ url: '/api/v1/kb/articles', body: { title: `文章 ${fx.next()}`, bodyHtml: '<p>遇到纠纷可以先申请人民调解。</p>' } }) },
  // A draft of a-ps1: its unit and those above; others only see published articles.
  'GET /api/v1/kb/articles/:id': { allow: INSIDE_A_PS1, build: (fx) => `/api/v1/kb/articles/${fx.shared.articleId}` },
  'PATCH /api/v1/kb/articles/:id': { allow: INSIDE_A_PS1, fresh: true, build: (fx) => ({ url: `/api/v1/kb/articles/${fx.shared.articleId}`, body: { summary: `摘要 ${fx.next()}` } }) },
  'GET /api/v1/kb/articles/:id/versions/:version': { allow: INSIDE_A_PS1, build: (fx) => `/api/v1/kb/articles/${fx.shared.articleId}/versions/1` },
  // Review needs kb.publish and scope; the author (handA1) cannot review and lacks kb.publish anyway.
  'POST /api/v1/kb/articles/:id/actions': {
    allow: MANAGE_A,
    fresh: true,
    build: async (fx) => {
      const a = await fx.ok<{ id: string }>('handA1', 'POST', '/api/v1/kb/articles', { title: `待审文章 ${fx.next()}`, bodyHtml: '<p>法律援助可以向司法局申请。</p>' });
      return { url: `/api/v1/kb/articles/${a.id}/actions`, body: { action: 'review' } };
    },
  },
  'POST /api/v1/kb/articles/:id/cite': { allow: APPEAL_READERS, build: (fx) => ({ url: `/api/v1/kb/articles/${fx.shared.publishedArticleId}/cite`, body: { appealId: fx.shared.appeal.id } }) },
  'GET /api/v1/kb/for-appeal/:id': { allow: APPEAL_READERS, build: (fx) => `/api/v1/kb/for-appeal/${fx.shared.appeal.id}` },
  'GET /api/v1/kb/gaps': { allow: BUSINESS },
  'GET /api/v1/kb/resolutions/stats': { allow: BUSINESS, build: (fx) => `/api/v1/kb/resolutions/stats?from=${encodeURIComponent(iso(fx.h.clock.now - 30 * 86_400_000))}&to=${encodeURIComponent(iso(fx.h.clock.now))}` },
  'GET /api/v1/kb/synonyms': { allow: BUSINESS },
  'PUT /api/v1/kb/synonyms': { allow: KB_PUBLISH, build: () => ({ url: '/api/v1/kb/synonyms', body: { phrase: '扰民', terms: ['噪声'] } }) },
  'DELETE /api/v1/kb/synonyms': { allow: KB_PUBLISH, build: () => `/api/v1/kb/synonyms?phrase=${encodeURIComponent('扰民')}` },

  // ---- notifications --------------------------------------------------------------------------------
  'GET /api/v1/notify/inbox': { allow: STAFF },
  'POST /api/v1/notify/inbox/read': { allow: STAFF, build: () => ({ url: '/api/v1/notify/inbox/read', body: { all: true } }) },
  'GET /api/v1/notify/prefs': { allow: STAFF },
  'PUT /api/v1/notify/prefs': { allow: STAFF, build: () => ({ url: '/api/v1/notify/prefs', body: { emailEnabled: false } }) },
  'GET /api/v1/notify/templates': { allow: A('sysadmin') },
  'PUT /api/v1/notify/templates/:key': { allow: A('sysadmin'), build: () => ({ url: '/api/v1/notify/templates/staff.new', body: { title: '新诉求', body: '您有新的诉求待处理', enabled: true } }) },
  'DELETE /api/v1/notify/templates/:key': { allow: A('sysadmin'), build: () => '/api/v1/notify/templates/staff.new' },
  'POST /api/v1/notify/templates/:key/preview': { allow: A('sysadmin'), build: () => ({ url: '/api/v1/notify/templates/staff.new/preview', body: { title: '新诉求', body: '您有新的诉求待处理' } }) },
  'GET /api/v1/notify/outbox': { allow: A('sysadmin') },
  'POST /api/v1/notify/outbox/:id/retry': { allow: A('sysadmin'), ok: [404, 409], build: (fx) => `/api/v1/notify/outbox/${fx.shared.outboxId ?? 'none'}/retry` },

  // ---- interoperability: API keys, imports, exports, Open311 ------------------------------------------
  'GET /api/v1/interop/apikeys': { allow: A('secadmin') },
  'POST /api/v1/interop/apikeys': { allow: A('secadmin'), fresh: true, build: (fx) => ({ url: '/api/v1/interop/apikeys', body: { name: `客户端 ${fx.next()}` } }) },
  'POST /api/v1/interop/apikeys/:id/revoke': { allow: A('secadmin'), build: (fx) => `/api/v1/interop/apikeys/${fx.shared.apiKeyId}/revoke` },
  'GET /api/v1/interop/import-fields': { allow: EVERYONE },
  'POST /api/v1/interop/imports': {
    allow: DISPATCHERS,
    build: (fx) => ({ url: `/api/v1/interop/imports?fileName=mx-${fx.next()}.csv`, raw: { payload: '工单编号,标题,内容,区划\nX9,导入,导入的诉求内容足够长用于测试,360602001\n', contentType: 'text/csv' } }),
  },
  'GET /api/v1/interop/imports': { allow: DISPATCHERS },
  // A job is its uploader's, and every dispatcher's (the hotline's shared work).
  'GET /api/v1/interop/imports/:id': { allow: DISPATCHERS, build: (fx) => `/api/v1/interop/imports/${fx.shared.importJobId}` },
  'POST /api/v1/interop/imports/:id/start': { allow: DISPATCHERS, ok: [400, 409], build: (fx) => ({ url: `/api/v1/interop/imports/${fx.shared.importJobId}/start`, body: {} }) },
  'GET /api/v1/interop/imports/:id/errors': { allow: DISPATCHERS, build: (fx) => `/api/v1/interop/imports/${fx.shared.importJobId}/errors` },
  'GET /api/v1/interop/import-profiles': { allow: DISPATCHERS },
  'PUT /api/v1/interop/import-profiles/:name': { allow: DISPATCHERS, build: () => ({ url: '/api/v1/interop/import-profiles/matrix', body: { source: 'hotline', mapping: { 标题: 'title' } } }) },
  'GET /api/v1/appeals/export': { allow: BUSINESS, build: () => '/api/v1/appeals/export?format=csv' },
  'GET /api/v1/metrics/rankings/export': { allow: [...BUSINESS, 'auditor'], build: () => '/api/v1/metrics/rankings/export?peerGroup=police_station:township&format=csv' },
  'GET /api/v1/metrics/breakdown/export': { allow: APPEAL_READERS, build: () => '/api/v1/metrics/breakdown/export?unitId=a-ps1&format=csv' },
  // The monthly 通报 of a subtree (the figures' data scope); the key problem named by a leader.
  'GET /api/v1/reports/monthly': { allow: APPEAL_READERS, build: () => '/api/v1/reports/monthly?period=2026-02&unitId=a-ps1&format=xlsx' },
  'GET /api/v1/reports/key-problem': { allow: BUSINESS, build: () => '/api/v1/reports/key-problem?period=2026-03' },
  'PUT /api/v1/reports/key-problem': { allow: LEADERS, build: () => ({ url: '/api/v1/reports/key-problem', body: { period: '2026-03', title: '夜间施工噪声' } }) },
  'GET /open311/v2/discovery.json': { allow: EVERYONE },
  'GET /open311/v2/discovery.xml': { allow: EVERYONE },
  'GET /open311/v2/services.json': { allow: EVERYONE },
  'GET /open311/v2/services.xml': { allow: EVERYONE },
  'GET /open311/v2/requests.json': { allow: EVERYONE },
  'GET /open311/v2/requests.xml': { allow: EVERYONE },
  // Open311 clients authenticate with an API key, never with a staff session: without one, refused.
  'POST /open311/v2/requests.json': { allow: NOBODY, anonStatus: 403, build: () => ({ url: '/open311/v2/requests.json', raw: { payload: 'service_code=order.noise&description=test', contentType: 'application/x-www-form-urlencoded' } }) },
  'POST /open311/v2/requests.xml': { allow: NOBODY, anonStatus: 403, build: () => ({ url: '/open311/v2/requests.xml', raw: { payload: 'service_code=order.noise&description=test', contentType: 'application/x-www-form-urlencoded' } }) },
  'GET /open311/v2/services/:file': { allow: EVERYONE, ok: [404], build: () => '/open311/v2/services/order.noise.json' },
  'GET /open311/v2/requests/:file': { allow: EVERYONE, ok: [404], build: (fx) => `/open311/v2/requests/${fx.shared.appeal.trackingCode}.json` },
  'GET /open311/v2/tokens/:file': { allow: EVERYONE, ok: [404], build: () => '/open311/v2/tokens/unknown.json' },
  '* /open311/v2/*': { allow: EVERYONE, ok: [404], build: () => '/open311/v2/nothing-here.json' },
};
