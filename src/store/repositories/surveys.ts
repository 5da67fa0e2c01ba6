// The 安全感·满意度 survey: rounds, responses and the population margins per region.
import type { Executor } from './appeals.ts';
import type { SurveyMarginTable, SurveyResponseTable, SurveyRoundTable } from '../participation-schema.ts';

export class SurveyRepository {
  findRound(db: Executor, id: string): Promise<SurveyRoundTable | undefined> {
    return db.selectFrom('survey_rounds').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertRound(db: Executor, row: SurveyRoundTable): Promise<void> {
    await db.insertInto('survey_rounds').values(row).execute();
  }

  async updateRound(db: Executor, id: string, set: Partial<SurveyRoundTable>): Promise<void> {
    await db.updateTable('survey_rounds').set(set).where('id', '=', id).execute();
  }

  allRounds(db: Executor): Promise<SurveyRoundTable[]> {
    return db.selectFrom('survey_rounds').selectAll().orderBy('opens_at', 'desc').orderBy('id', 'desc').limit(1000).execute();
  }

  /** Rounds that are open for answers at `now`. */
  openRounds(db: Executor, now: number): Promise<SurveyRoundTable[]> {
    return db
      .selectFrom('survey_rounds')
      .selectAll()
      .where('status', '=', 'open')
      .where('opens_at', '<=', now)
      .where('closes_at', '>', now)
      .orderBy('closes_at')
      .execute();
  }

  async insertResponse(db: Executor, row: SurveyResponseTable): Promise<void> {
    await db.insertInto('survey_responses').values(row).execute();
  }

  async countResponses(db: Executor, roundId: string): Promise<number> {
    const r = await db.selectFrom('survey_responses').select((eb) => eb.fn.countAll<number>().as('n')).where('round_id', '=', roundId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** The responses of a round, optionally only inside a region (prefix of the region code). */
  responses(db: Executor, roundId: string, regionPrefix?: string) {
    let q = db
      .selectFrom('survey_responses')
      .select(['id', 'region_code', 'sex', 'age_group', 'channel', 'answers', 'created_at'])
      .where('round_id', '=', roundId);
    if (regionPrefix) q = q.where('region_code', 'like', `${regionPrefix}%`);
    return q.orderBy('created_at').orderBy('id').execute();
  }

  /** Open-text answers written since `since` (for the text-intelligence feed). */
  responsesSince(db: Executor, since: number, after: { createdAt: number; id: string } | null, limit: number) {
    let q = db.selectFrom('survey_responses').select(['id', 'round_id', 'region_code', 'answers', 'created_at']).where('created_at', '>=', since);
    if (after) {
      q = q.where((eb) => eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]));
    }
    return q.orderBy('created_at').orderBy('id').limit(limit).execute();
  }

  margins(db: Executor, regionCodes?: readonly string[]): Promise<SurveyMarginTable[]> {
    let q = db.selectFrom('survey_margins').selectAll();
    if (regionCodes) {
      if (regionCodes.length === 0) return Promise.resolve([]);
      q = q.where('region_code', 'in', [...regionCodes]);
    }
    return q.orderBy('region_code').orderBy('sex').orderBy('age_group').execute();
  }

  /** Replaces every cell of a region. */
  async replaceMargins(db: Executor, regionCode: string, rows: SurveyMarginTable[]): Promise<void> {
    await db.deleteFrom('survey_margins').where('region_code', '=', regionCode).execute();
    if (rows.length) await db.insertInto('survey_margins').values(rows).execute();
  }
}
