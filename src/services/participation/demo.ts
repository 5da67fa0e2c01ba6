// Demo participation for the demo city (deterministic from the seed): population margins of every
// county, a finished consultation with suggestions, supports, answers and follow-up tasks, an open
// consultation citizens can join, and two survey rounds — last year's (closed, margins frozen) and
// this year's (open) — with a few hundred responses skewed by channel so that weighting matters.
import { createHash } from 'node:crypto';
import { Rng } from '../../demo/random.ts';
import type { ConsultationQuestion } from '../../domain/participation/consultation.ts';
import { screenText } from '../../domain/participation/moderation.ts';
import { AGE_GROUPS, SEXES, standardQuestionnaire, type Answers } from '../../domain/participation/survey.ts';
import type {
  ConsultationTable,
  ConsultationTaskTable,
  ConsultationTaskUpdateTable,
  SuggestionEventTable,
  SuggestionSupportTable,
  SuggestionTable,
  SurveyMarginTable,
  SurveyResponseTable,
} from '../../store/participation-schema.ts';
import type { Services } from '../index.ts';

const DAY = 86_400_000;

export interface ParticipationDemoReport {
  consultations: number;
  suggestions: number;
  supports: number;
  surveyRounds: number;
  surveyResponses: number;
}

const NIGHT_QUESTIONS: ConsultationQuestion[] = [
  { id: 'where', kind: 'single', text: '您最关心哪类场所的夜间安全?', textEn: 'Which places worry you most at night?', required: true, options: ['公园广场', '学校周边', '老旧小区', '城中村', '夜市商圈'] },
  { id: 'how', kind: 'multi', text: '您希望优先采取哪些措施?(可多选)', textEn: 'What should be done first? (several allowed)', required: false, options: ['增加巡逻', '增设路灯', '安装监控', '群防群治', '加强宣传'] },
];

const EBIKE_QUESTIONS: ConsultationQuestion[] = [
  { id: 'concern', kind: 'single', text: '您最关心的电动自行车问题是?', textEn: 'What concerns you most about e-bikes?', required: true, options: ['车辆被盗', '楼道充电', '交通违法', '改装超速'] },
];

type Plan = { title: string; body: string; where: string; how?: string[]; support: number; outcome?: 'adopted' | 'partly_adopted' | 'not_adopted'; reason?: string; action?: string; hidden?: string; task?: { unit: string; days: number; done?: boolean; progress?: string } };

const NIGHT_PLANS: Plan[] = [
  { title: '江滨公园夜间增加巡逻', body: '江滨公园晚上十点以后游人少、照明差,常有醉酒人员滋事。建议派出所在 21 点至 24 点增加步巡,并在公园出入口设置巡逻打卡点。', where: '公园广场', how: ['增加巡逻', '增设路灯'], support: 136, outcome: 'adopted', reason: '建议具体可行,与夜间巡防重点一致。', action: '由清江分局牵头,在江滨公园设立 3 个巡逻打卡点,每晚 21:00—24:00 巡逻不少于两次,并协调城管增设照明。', task: { unit: 'ga-361202', days: 40, done: true, progress: '打卡点已设立,夜间巡逻已常态化,新增路灯 18 盏。' } },
  { title: '老旧小区加装监控探头', body: '我们小区是九十年代的老小区,没有物业,背街小巷没有监控,电动车经常被偷。建议政府出资在老旧小区主要出入口加装监控并接入派出所。', where: '老旧小区', how: ['安装监控'], support: 118, outcome: 'adopted', reason: '老旧小区技防薄弱是群众反映集中的问题。', action: '将 26 个无物业老旧小区纳入年度“雪亮工程”补点计划,年内完成出入口监控全覆盖。', task: { unit: 'zfw-361200', days: 120, progress: '已完成 14 个小区的选点和施工招标,剩余 12 个小区下月开工。' } },
  { title: '学校周边上下学护学岗', body: '实验小学放学时门口车辆人员拥挤,常有不明人员逗留。建议在上下学时段设立护学岗,民警、家长志愿者共同值守。', where: '学校周边', how: ['增加巡逻', '群防群治'], support: 97, outcome: 'partly_adopted', reason: '全市中小学已设护学岗,将优化时段和力量配置。', action: '放学时段增派一名民警,组织家长志愿者轮值,寒暑假前后开展校园周边清查。', task: { unit: 'ga-361203', days: 30, done: true, progress: '护学岗时段已调整为 16:00—17:30,家长志愿者队伍 42 人。' } },
  { title: '夜市摊点散场后加强治安管控', body: '美食街夜市凌晨一两点才散场,散场后经常有人酒后打架,希望在散场时段加派警力,及时处置。', where: '夜市商圈', how: ['增加巡逻'], support: 74, outcome: 'partly_adopted', reason: '夜市治安已纳入重点时段巡控,散场时段力量偏弱。', action: '周五、周六散场时段增设一个临时警务点。', task: { unit: 'ga-361202', days: 20, progress: '临时警务点已在周末启用。' } },
  { title: '城中村出租屋安全检查', body: '城中村出租屋多,人员流动大,有的房东不登记租客信息,存在治安和消防隐患。建议定期开展出租屋检查。', where: '城中村', how: ['群防群治', '加强宣传'], support: 65, outcome: 'adopted', reason: '出租屋管理是城中村治理的重点。', action: '每季度开展一次出租屋联合检查,推行租客信息网上登记。' },
  { title: '背街小巷路灯经常不亮', body: '我家附近的背街小巷路灯坏了好几个月没人修,晚上下班回家很害怕,建议建立路灯报修快速响应机制。', where: '老旧小区', how: ['增设路灯'], support: 58, outcome: 'not_adopted', reason: '路灯维修属城市管理部门职责,已转交市城管局并纳入其快速维修机制,不在本次政法工作采纳范围。' },
  { title: '建立社区治安志愿巡逻队', body: '很多退休居民愿意参与社区治安巡逻,建议由社区组织志愿巡逻队,配发统一标识和对讲机,与民警联动。', where: '老旧小区', how: ['群防群治'], support: 52 },
  { title: '加强防电诈宣传进广场', body: '广场舞的大爷大妈是诈骗的重点对象,建议民警晚上到广场宣讲防诈骗知识,效果比发传单好。', where: '公园广场', how: ['加强宣传'], support: 44, outcome: 'adopted', reason: '宣传形式贴近群众。', action: '每月在全市主要广场开展一次防诈“夜讲堂”。' },
  { title: '公交站台夜间视频全覆盖', body: '末班车时段公交站台人少,希望站台监控全覆盖,并设置一键报警装置。', where: '公园广场', how: ['安装监控'], support: 31, outcome: 'not_adopted', reason: '站台一键报警涉及多部门,本年度暂无建设条件,监控覆盖将在雪亮工程中统筹考虑。' },
  { title: '商场周边黑车拉客', body: '火车站和商场周边夜间黑车拉客,欺客宰客,建议联合交通部门整治。', where: '夜市商圈', how: ['增加巡逻'], support: 27 },
  { title: '联系我反映小区治安', body: '我们小区夜里经常有陌生人进出,门卫形同虚设,希望派出所来看看。我的电话 13912345678,随时联系。', where: '老旧小区', how: ['增加巡逻'], support: 12 },
  { title: '低息贷款当天到账', body: '无抵押低息贷款,当天到账,加微信 dk88888 详聊。', where: '城中村', support: 0, hidden: 'spam' },
  { title: '河堤步道增设报警柱', body: '沿江河堤步道晚上散步的人多,但一公里都没有一个报警点,建议每隔几百米设一个报警柱。', where: '公园广场', how: ['安装监控'], support: 19 },
  { title: '中学周边网吧夜间管理', body: '学校附近网吧晚上有未成年人进入,建议加强检查,防止未成年人夜不归宿。', where: '学校周边', how: ['加强宣传'], support: 23 },
];

const EBIKE_PLANS: Plan[] = [
  { title: '小区集中建设充电车棚', body: '楼道里推电动车上楼充电很危险,建议小区统一建设带监控的充电车棚,既防盗又防火。', where: '楼道充电', support: 41 },
  { title: '电动车加装防盗定位', body: '电动车丢了很难找回,建议推广加装定位防盗器,派出所可以和厂家合作搞优惠。', where: '车辆被盗', support: 26 },
  { title: '严查改装超速电动车', body: '外卖电动车改装后速度很快,在人行道上乱窜,建议交警加强检查。', where: '改装超速', support: 15 },
];

/** Seeds the demo participation. Call once on an empty demo database (seedDemo does). */
export async function seedParticipationDemo(s: Services, opts: { seed: number; now?: number }): Promise<ParticipationDemoReport> {
  const now = opts.now ?? s.ctx.now();
  const db = s.ctx.db;
  const rng = new Rng(`participation:${opts.seed}`);
  const units = await s.org.all();
  const root = units.find((u) => u.parentId === null);
  if (!root) throw new Error('the demo city must be seeded first');
  const regions = await s.org.regions();
  const counties = regions.filter((r) => r.parent_code === root.regionCode);
  const byId = new Map(units.map((u) => [u.id, u]));
  const unitFor = (key: string): { id: string; path: string } => {
    // 'ga-361202' → the police bureau of that county; 'zfw-361200' → the city committee.
    const [kind, code] = key.split('-') as [string, string];
    const type = kind === 'ga' ? 'police_bureau' : 'committee';
    const u = units.find((x) => x.type === type && x.regionCode === code) ?? root;
    return { id: u.id, path: u.path };
  };
  const report: ParticipationDemoReport = { consultations: 0, suggestions: 0, supports: 0, surveyRounds: 0, surveyResponses: 0 };

  // --- margins: adults of each county by age group and sex -------------------------------------
  const AGE_SHARE = [0.17, 0.18, 0.18, 0.19, 0.28];
  const margins: SurveyMarginTable[] = [];
  for (const c of counties) {
    const pop = units.find((u) => u.type === 'committee' && u.regionCode === c.code)?.population ?? 300_000;
    const adults = pop * 0.81;
    const r = rng.fork(c.code);
    const shares = AGE_SHARE.map((x) => x * r.float(0.9, 1.1));
    const sum = shares.reduce((a, b) => a + b, 0);
    for (const [i, age] of AGE_GROUPS.entries()) {
      const male = r.float(0.49, 0.52);
      for (const sex of SEXES) {
        margins.push({ region_code: c.code, age_group: age, sex, population: Math.round(adults * (shares[i]! / sum) * (sex === 'male' ? male : 1 - male)), source: '演示数据:按第七次全国人口普查年龄性别结构推算', updated_at: now - 420 * DAY, updated_by: null });
      }
    }
  }
  await db.insertInto('survey_margins').values(margins).execute();

  // --- consultations ------------------------------------------------------------------------------
  const owner = units.find((u) => u.type === 'committee' && u.parentId === null) ?? root;
  const center = units.find((u) => u.type === 'center' && u.parentId === owner.id);
  const staffId = center ? `staff-${center.id}` : null;
  const answerUnit = center?.id ?? owner.id;
  const phoneOf = (i: number) => `13${String(5 + (i % 4))}${String(10_000_000 + ((i * 7_919_123 + opts.seed) % 89_999_999)).padStart(8, '0')}`;
  const key = (s2: string) => createHash('sha256').update(`demo-support:${opts.seed}:${s2}`).digest('base64url').slice(0, 32);

  const writeConsultation = async (c: ConsultationTable, plans: Plan[], phoneBase: number, answersOf: (p: Plan) => Record<string, string | string[]>) => {
    const suggestions: SuggestionTable[] = [];
    const events: SuggestionEventTable[] = [];
    const supports: SuggestionSupportTable[] = [];
    const tasks: ConsultationTaskTable[] = [];
    const updates: ConsultationTaskUpdateTable[] = [];
    const span = Math.min(c.closes_at, now) - c.opens_at;
    for (const [i, p] of plans.entries()) {
      const id = `${c.id}-s${String(i + 1).padStart(2, '0')}`;
      const created = c.opens_at + Math.floor(span * ((i + 0.5) / plans.length) * 0.8);
      const st = screenText(p.title);
      const sb = screenText(p.body);
      const phone = phoneOf(phoneBase + i);
      const answered = p.outcome ? created + 5 * DAY + rng.int(0, 8) * DAY : null;
      const status = p.hidden ? 'hidden' : 'published';
      suggestions.push({
        id,
        consultation_id: c.id,
        region_code: c.region_code,
        status,
        title: st.text,
        body: sb.text,
        original_enc: st.masked || sb.masked ? s.ctx.pii.encrypt(JSON.stringify({ title: p.title, body: p.body })) : null,
        answers: JSON.stringify(answersOf(p)),
        flags: JSON.stringify([...st.findings, ...sb.findings]),
        mod_reason: p.hidden ?? null,
        mod_note: p.hidden ? '广告信息,予以隐藏' : null,
        author_phone_enc: s.ctx.pii.encrypt(phone),
        author_phone_idx: s.ctx.pii.blindIndex(phone),
        support_count: p.support,
        category_id: c.category_id,
        answer_outcome: p.outcome ?? null,
        answer_reason: p.reason ?? null,
        answer_action: p.action ?? null,
        answered_at: answered,
        answered_by: p.outcome ? staffId : null,
        answer_unit_id: p.outcome ? answerUnit : null,
        created_at: created,
        updated_at: answered ?? created,
      });
      events.push({ suggestion_id: id, seq: 1, region_code: c.region_code, at: created, actor_kind: 'citizen', actor_id: null, action: 'submitted', payload: JSON.stringify({ status: sb.hold ? 'pending' : 'published', findings: [...st.findings, ...sb.findings], hold: sb.hold }) });
      let seq = 1;
      if (p.hidden) events.push({ suggestion_id: id, seq: ++seq, region_code: c.region_code, at: created + 3_600_000, actor_kind: 'staff', actor_id: staffId, action: 'moderation.hide', payload: JSON.stringify({ from: 'pending', to: 'hidden', reason: p.hidden, note: '广告信息,予以隐藏' }) });
      if (p.outcome) events.push({ suggestion_id: id, seq: ++seq, region_code: c.region_code, at: answered!, actor_kind: 'staff', actor_id: staffId, action: 'answered', payload: JSON.stringify({ outcome: p.outcome, reason: p.reason, action: p.action ?? null, previous: null }) });
      for (let j = 0; j < p.support; j++) {
        supports.push({ suggestion_id: id, supporter_key: key(`${c.id}:${(j * 31 + i * 17) % 400}`), consultation_id: c.id, region_code: c.region_code, created_at: created + Math.floor(((Math.min(c.closes_at, now) - created) * (j + 1)) / (p.support + 1)) });
      }
      if (p.task && answered) {
        const u = unitFor(p.task.unit);
        const tid = `${id}-t1`;
        const due = answered + p.task.days * DAY;
        const done = p.task.done ? Math.min(now - DAY, due - 3 * DAY) : null;
        tasks.push({ id: tid, consultation_id: c.id, suggestion_id: id, region_code: c.region_code, title: p.title.replace(/建议|希望/g, ''), description: p.action ?? '', unit_id: u.id, unit_path: u.path, due_at: due, status: done ? 'done' : 'in_progress', done_at: done, created_by: staffId, created_at: answered, updated_at: done ?? answered + 10 * DAY });
        updates.push({ task_id: tid, seq: 1, region_code: c.region_code, at: answered, actor_id: staffId, status: 'open', note: `任务已建立,由${byId.get(u.id)?.name ?? u.id}负责` });
        updates.push({ task_id: tid, seq: 2, region_code: c.region_code, at: Math.min(answered + 10 * DAY, now - DAY), actor_id: staffId, status: 'in_progress', note: done ? '已制定实施方案,正在推进。' : p.task.progress ?? '正在推进。' });
        if (done) updates.push({ task_id: tid, seq: 3, region_code: c.region_code, at: done, actor_id: staffId, status: 'done', note: p.task.progress ?? '已完成。' });
        events.push({ suggestion_id: id, seq: ++seq, region_code: c.region_code, at: answered, actor_kind: 'staff', actor_id: staffId, action: 'task.created', payload: JSON.stringify({ taskId: tid, unitId: u.id, dueAt: due }) });
      }
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('consultations').values(c).execute();
      await trx.insertInto('suggestions').values(suggestions).execute();
      await trx.insertInto('suggestion_events').values(events).execute();
      for (let i = 0; i < supports.length; i += 500) await trx.insertInto('suggestion_supports').values(supports.slice(i, i + 500)).execute();
      if (tasks.length) await trx.insertInto('consultation_tasks').values(tasks).execute();
      if (updates.length) await trx.insertInto('consultation_task_updates').values(updates).execute();
    });
    report.consultations++;
    report.suggestions += suggestions.length;
    report.supports += supports.length;
  };

  const night: ConsultationTable = {
    id: 'demo-consultation-night',
    region_code: owner.regionCode,
    unit_id: owner.id,
    unit_path: owner.path,
    title: '关于加强夜间治安巡逻防控的意见征集',
    background:
      '为回应群众对夜间出行安全的关切,市委政法委就加强夜间治安巡逻防控工作向社会公开征集意见建议。欢迎您结合身边实际,就重点场所、重点时段和具体措施提出建议。我们将对每条建议逐条答复,采纳的建议将转为落实任务并公开进展。',
    questions: JSON.stringify(NIGHT_QUESTIONS),
    category_id: null,
    opens_at: now - 75 * DAY,
    closes_at: now - 45 * DAY,
    published: 1,
    premoderation: 0,
    summary: '本次征集共收到群众建议 14 条、点赞支持 700 余次。经逐条研究,采纳 4 条、部分采纳 2 条、未采纳 2 条(已说明理由),1 条广告信息已隐藏。采纳的建议已转为落实任务,进展在本页公开。',
    created_by: staffId,
    created_at: now - 80 * DAY,
    updated_at: now - 20 * DAY,
    version: 2,
  };
  await writeConsultation(night, NIGHT_PLANS, 0, (p) => ({ where: p.where, ...(p.how ? { how: p.how } : {}) }));
  const ebike: ConsultationTable = {
    id: 'demo-consultation-ebike',
    region_code: owner.regionCode,
    unit_id: owner.id,
    unit_path: owner.path,
    title: '关于电动自行车防盗和充电安全的意见征集',
    background: '电动自行车被盗和楼道充电起火是群众反映较多的问题。现就电动自行车防盗、充电安全和规范通行公开征集意见建议,征集期 30 天。',
    questions: JSON.stringify(EBIKE_QUESTIONS),
    category_id: null,
    opens_at: now - 5 * DAY,
    closes_at: now + 25 * DAY,
    published: 1,
    premoderation: 0,
    summary: null,
    created_by: staffId,
    created_at: now - 6 * DAY,
    updated_at: now - 6 * DAY,
    version: 1,
  };
  await writeConsultation(ebike, EBIKE_PLANS, 100, (p) => ({ concern: p.where }));

  // --- survey rounds ------------------------------------------------------------------------------
  const q = standardQuestionnaire();
  const countyTone = new Map(counties.map((c) => [c.code, { security: rng.fork(`sec:${c.code}`).normal(0, 0.35), satisfaction: rng.fork(`sat:${c.code}`).normal(0, 0.35) }]));
  const townships = new Map(counties.map((c) => [c.code, regions.filter((r) => r.parent_code === c.code).map((r) => r.code)]));
  const OPEN = ['小区周边电动车被盗多发', '夜间路灯太少', '电信诈骗电话太多', '法院执行难,判决执行不了', '邻里纠纷调解不及时', '学校周边交通秩序乱', '出租屋管理混乱', '希望多一些法律援助'];
  const writeRound = async (id: string, name: string, opensAt: number, closesAt: number, closed: boolean, n: number, shift: number) => {
    const r = rng.fork(id);
    const responses: SurveyResponseTable[] = [];
    const popWeights = counties.map((c) => margins.filter((m) => m.region_code === c.code).reduce((a, m) => a + m.population, 0));
    for (let i = 0; i < n; i++) {
      const county = r.weighted(counties, popWeights);
      const towns = townships.get(county.code) ?? [];
      const regionCode = towns.length && r.chance(0.8) ? r.pick(towns) : county.code;
      const web = r.chance(0.62);
      // The web reaches the young, phone interviews the old: the sample is skewed, weighting corrects it.
      const ageIdx = web ? r.weighted([0, 1, 2, 3, 4], [0.34, 0.3, 0.18, 0.12, 0.06]) : r.weighted([0, 1, 2, 3, 4], [0.06, 0.1, 0.2, 0.26, 0.38]);
      const sex = r.chance(web ? 0.46 : 0.55) ? 'female' : 'male';
      const tone = countyTone.get(county.code)!;
      const answers: Answers = {};
      for (const x of q.questions) {
        if (x.kind !== 'scale') continue;
        // Older people feel safer at home but less safe about fraud; the young the other way round.
        const ageEffect = x.id === 'sec_fraud' ? -0.15 * (ageIdx - 2) : x.id === 'sec_night' ? 0.05 * (ageIdx - 2) - (sex === 'female' ? 0.25 : 0) : 0.12 * (ageIdx - 2);
        const base = (x.dimension === 'security' ? 3.9 + tone.security : 3.6 + tone.satisfaction) + ageEffect + shift;
        const dontKnow = (x.id === 'sat_procuratorate' ? 0.14 : x.id === 'sat_court' ? 0.08 : 0.02) * (ageIdx >= 3 ? 1.5 : 1);
        if (r.chance(dontKnow)) answers[x.id] = '0';
        else answers[x.id] = String(Math.max(1, Math.min(5, Math.round(r.normal(base, 0.85)))));
      }
      if (r.chance(0.35)) answers.open_problem = r.pick(OPEN);
      const created = opensAt + Math.floor((Math.min(closesAt, now) - opensAt) * r.next());
      responses.push({
        id: `${id}-${String(i + 1).padStart(4, '0')}`,
        round_id: id,
        region_code: regionCode,
        sex,
        age_group: AGE_GROUPS[ageIdx]!,
        channel: web ? 'web' : 'phone',
        answers: JSON.stringify(answers),
        respondent_key: web ? createHash('sha256').update(`demo-survey:${opts.seed}:${id}:${i}`).digest('base64url').slice(0, 32) : null,
        entered_by: web ? null : staffId,
        created_at: created,
      });
    }
    const snapshot = closed ? JSON.stringify(margins.map((m) => ({ regionCode: m.region_code, ageGroup: m.age_group, sex: m.sex, population: m.population }))) : null;
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('survey_rounds')
        .values({ id, name, region_code: owner.regionCode, unit_id: owner.id, unit_path: owner.path, questionnaire: JSON.stringify(q), opens_at: opensAt, closes_at: closesAt, status: closed ? 'closed' : 'open', margins_snapshot: snapshot, closed_at: closed ? closesAt : null, created_by: staffId, created_at: opensAt - 7 * DAY, updated_at: closed ? closesAt : opensAt })
        .execute();
      for (let i = 0; i < responses.length; i += 300) await trx.insertInto('survey_responses').values(responses.slice(i, i + 300)).execute();
    });
    report.surveyRounds++;
    report.surveyResponses += responses.length;
  };
  const year = new Date(now + 8 * 3600_000).getUTCFullYear();
  await writeRound('demo-survey-last', `${year - 1}年度群众安全感·政法队伍满意度调查`, now - 400 * DAY, now - 370 * DAY, true, 320, -0.15);
  await writeRound('demo-survey-current', `${year}年度群众安全感·政法队伍满意度调查`, now - 20 * DAY, now + 40 * DAY, false, 260, 0);
  return report;
}
