// The bare insert route the ingest figures are compared with: a plain Fastify route inserting the same
// appeal row and submit event into the same database, with no validation, no deadlines, no encryption,
// no audit — the floor the product is compared with (bench/ingest, bench/scale).
import type { FastifyInstance } from 'fastify';
import { newId, newTrackingCode } from '../../src/lib/ids.ts';
import type { Services } from '../../src/services/index.ts';

export function registerBareInsert(app: FastifyInstance, s: Services, url = '/bare'): void {
  app.post(url, async (req, reply) => {
    const b = req.body as { title: string; body: string; regionCode: string; type: string };
    const now = Date.now();
    const id = newId(now);
    await s.ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('appeals')
        .values({
          id, tracking_code: newTrackingCode(now), region_code: b.regionCode, status: 'submitted', type: b.type, urgency: 'general', channel: 'web',
          category_id: null, unit_id: null, unit_path: null, intake_unit_id: 'bench', intake_path: '/bench/', title: b.title, body: b.body,
          address_enc: null, citizen_name_enc: null, citizen_phone_enc: null, citizen_phone_idx: null, anonymous: 0, access_pin_hash: null,
          created_at: now, updated_at: now, response_due_at: now, handle_due_at: now, first_contact_at: null, replied_at: null, closed_at: null,
          reply: null, round: 1, return_count: 0, transfer_count: 0, reopen_count: 0, extension_count: 0, pending_extension_days: null,
          supervision_level: 0, response_overdue: 0, handle_overdue: 0, merged_into: null, redirect_channel: null, unreasonable_pending: 0,
          rating_appeal: null, last_rating: null, last_rating_level: null, version: 1,
        })
        .execute();
      await trx
        .insertInto('appeal_events')
        .values({ appeal_id: id, seq: 1, region_code: b.regionCode, at: now, actor_kind: 'citizen', actor_id: null, action: 'submit', from_status: null, to_status: 'submitted', payload: '{}' })
        .execute();
    });
    return reply.status(201).send({ id });
  });
}

const TEXTS = ['小区门口夜市摊贩占道经营,噪音和油烟扰民,希望有关部门管一管。', '我在网上买东西被骗了三千元,对方冒充客服让我转账,请问怎么报案?', '邻居装修把承重墙打掉了,物业不管,担心房屋安全,请求处理。'];

/** The citizen submission sent by the load: request i of a run, in the given township. */
export const submissionBody = (region: string) => (i: number) => ({
  type: 'complaint',
  title: `诉求压测标题 ${i}`,
  body: TEXTS[i % TEXTS.length]!,
  regionCode: region,
  phone: `138${String(10_000_000 + (i % 89_999_999)).padStart(8, '0')}`,
  citizenName: '测试',
  anonymous: false,
});
