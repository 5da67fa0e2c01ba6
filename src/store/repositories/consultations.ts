// Consultations (征集) and their suggestions, supports, history and follow-up tasks.
import { sql } from 'kysely';
import type { Executor } from './appeals.ts';
import type {
  ConsultationTable,
  ConsultationTaskTable,
  ConsultationTaskUpdateTable,
  SuggestionEventTable,
  SuggestionTable,
} from '../participation-schema.ts';

export class ConsultationRepository {
  find(db: Executor, id: string): Promise<ConsultationTable | undefined> {
    return db.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insert(db: Executor, row: ConsultationTable): Promise<void> {
    await db.insertInto('consultations').values(row).execute();
  }

  /** Optimistic update: returns false when the version moved on. */
  async update(db: Executor, id: string, version: number, set: Partial<ConsultationTable>): Promise<boolean> {
    const r = await db
      .updateTable('consultations')
      .set({ ...set, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Published consultations, newest first (the public list). */
  listPublished(db: Executor, opts: { regionPrefix?: string | undefined; limit: number; offset: number }) {
    let q = db.selectFrom('consultations').selectAll().where('published', '=', 1);
    if (opts.regionPrefix) q = q.where('region_code', 'like', `${opts.regionPrefix}%`);
    return q.orderBy('opens_at', 'desc').orderBy('id', 'desc').limit(opts.limit).offset(opts.offset).execute();
  }

  /** Every consultation opened by a unit inside the subtree (staff list). */
  listInScope(db: Executor, scopePath: string) {
    return db.selectFrom('consultations').selectAll().where('unit_path', 'like', `${scopePath}%`).orderBy('created_at', 'desc').limit(500).execute();
  }

  // --- suggestions -----------------------------------------------------------------------------

  findSuggestion(db: Executor, id: string): Promise<SuggestionTable | undefined> {
    return db.selectFrom('suggestions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertSuggestion(db: Executor, row: SuggestionTable): Promise<void> {
    await db.insertInto('suggestions').values(row).execute();
  }

  async updateSuggestion(db: Executor, id: string, set: Partial<SuggestionTable>): Promise<void> {
    await db.updateTable('suggestions').set(set).where('id', '=', id).execute();
  }

  suggestionsOf(
    db: Executor,
    consultationId: string,
    opts: { status?: string[] | undefined; sort: 'support' | 'new'; limit: number; offset: number },
  ): Promise<SuggestionTable[]> {
    let q = db.selectFrom('suggestions').selectAll().where('consultation_id', '=', consultationId);
    if (opts.status?.length) q = q.where('status', 'in', opts.status);
    q = opts.sort === 'support' ? q.orderBy('support_count', 'desc').orderBy('created_at', 'asc') : q.orderBy('created_at', 'desc');
    return q.orderBy('id').limit(opts.limit).offset(opts.offset).execute();
  }

  async countSuggestions(db: Executor, consultationId: string, status?: string[]): Promise<number> {
    let q = db.selectFrom('suggestions').select(sql<number>`count(*)`.as('n')).where('consultation_id', '=', consultationId);
    if (status?.length) q = q.where('status', 'in', status);
    const r = await q.executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Counts per status and per moderation reason, participants and supports. */
  async figures(db: Executor, consultationId: string) {
    const byStatus = await db
      .selectFrom('suggestions')
      .select(['status', 'mod_reason', sql<number>`count(*)`.as('n')])
      .where('consultation_id', '=', consultationId)
      .groupBy(['status', 'mod_reason'])
      .execute();
    const people = await db
      .selectFrom('suggestions')
      .select(sql<number>`count(distinct author_phone_idx)`.as('n'))
      .where('consultation_id', '=', consultationId)
      .executeTakeFirst();
    const supports = await db
      .selectFrom('suggestion_supports')
      .select([sql<number>`count(*)`.as('n'), sql<number>`count(distinct supporter_key)`.as('people')])
      .where('consultation_id', '=', consultationId)
      .executeTakeFirst();
    const outcomes = await db
      .selectFrom('suggestions')
      .select(['answer_outcome', sql<number>`count(*)`.as('n')])
      .where('consultation_id', '=', consultationId)
      .where('answer_outcome', 'is not', null)
      .groupBy('answer_outcome')
      .execute();
    return {
      byStatus: byStatus.map((r) => ({ status: r.status, reason: r.mod_reason, n: Number(r.n) })),
      authors: Number(people?.n ?? 0),
      supports: Number(supports?.n ?? 0),
      supporters: Number(supports?.people ?? 0),
      outcomes: outcomes.map((r) => ({ outcome: r.answer_outcome!, n: Number(r.n) })),
    };
  }

  answersOf(db: Executor, consultationId: string): Promise<{ answers: string }[]> {
    return db.selectFrom('suggestions').select('answers').where('consultation_id', '=', consultationId).where('status', '=', 'published').execute();
  }

  async countByAuthor(db: Executor, consultationId: string, phoneIdx: string): Promise<{ n: number; bodies: string[] }> {
    const rows = await db
      .selectFrom('suggestions')
      .select(['body', 'title'])
      .where('consultation_id', '=', consultationId)
      .where('author_phone_idx', '=', phoneIdx)
      .execute();
    return { n: rows.length, bodies: rows.map((r) => r.title + '\n' + r.body) };
  }

  // --- supports --------------------------------------------------------------------------------

  /** Adds a support once; returns false when this person already supported the suggestion. */
  async addSupport(db: Executor, row: { suggestion_id: string; supporter_key: string; consultation_id: string; region_code: string; created_at: number }): Promise<boolean> {
    const r = await db
      .insertInto('suggestion_supports')
      .values(row)
      .onConflict((oc) => oc.columns(['suggestion_id', 'supporter_key']).doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await db
      .updateTable('suggestions')
      .set({ support_count: sql<number>`support_count + 1` })
      .where('id', '=', row.suggestion_id)
      .execute();
    return true;
  }

  async supportedBy(db: Executor, consultationId: string, supporterKey: string): Promise<string[]> {
    const rows = await db
      .selectFrom('suggestion_supports')
      .select('suggestion_id')
      .where('consultation_id', '=', consultationId)
      .where('supporter_key', '=', supporterKey)
      .execute();
    return rows.map((r) => r.suggestion_id);
  }

  // --- history ---------------------------------------------------------------------------------

  async appendEvent(db: Executor, e: Omit<SuggestionEventTable, 'seq'>): Promise<number> {
    const last = await db
      .selectFrom('suggestion_events')
      .select(sql<number>`coalesce(max(seq), 0)`.as('seq'))
      .where('suggestion_id', '=', e.suggestion_id)
      .executeTakeFirst();
    const seq = Number(last?.seq ?? 0) + 1;
    await db.insertInto('suggestion_events').values({ ...e, seq }).execute();
    return seq;
  }

  eventsOf(db: Executor, suggestionId: string): Promise<SuggestionEventTable[]> {
    return db.selectFrom('suggestion_events').selectAll().where('suggestion_id', '=', suggestionId).orderBy('seq').execute();
  }

  // --- tasks -----------------------------------------------------------------------------------

  async insertTask(db: Executor, row: ConsultationTaskTable): Promise<void> {
    await db.insertInto('consultation_tasks').values(row).execute();
  }

  findTask(db: Executor, id: string): Promise<ConsultationTaskTable | undefined> {
    return db.selectFrom('consultation_tasks').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async updateTask(db: Executor, id: string, set: Partial<ConsultationTaskTable>): Promise<void> {
    await db.updateTable('consultation_tasks').set(set).where('id', '=', id).execute();
  }

  tasksOf(db: Executor, consultationId: string): Promise<ConsultationTaskTable[]> {
    return db.selectFrom('consultation_tasks').selectAll().where('consultation_id', '=', consultationId).orderBy('created_at').execute();
  }

  async appendTaskUpdate(db: Executor, u: Omit<ConsultationTaskUpdateTable, 'seq'>): Promise<void> {
    const last = await db
      .selectFrom('consultation_task_updates')
      .select(sql<number>`coalesce(max(seq), 0)`.as('seq'))
      .where('task_id', '=', u.task_id)
      .executeTakeFirst();
    await db.insertInto('consultation_task_updates').values({ ...u, seq: Number(last?.seq ?? 0) + 1 }).execute();
  }

  taskUpdates(db: Executor, taskIds: readonly string[]): Promise<ConsultationTaskUpdateTable[]> {
    if (taskIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('consultation_task_updates').selectAll().where('task_id', 'in', [...taskIds]).orderBy('task_id').orderBy('seq').execute();
  }

  // --- text feed (hotspots, classifier) ---------------------------------------------------------

  /** Suggestions created at or after `since`, oldest first, in pages (keyset on created_at, id). */
  suggestionsSince(db: Executor, since: number, after: { createdAt: number; id: string } | null, limit: number) {
    let q = db
      .selectFrom('suggestions')
      .innerJoin('consultations', 'consultations.id', 'suggestions.consultation_id')
      .select([
        'suggestions.id',
        'suggestions.consultation_id',
        'suggestions.region_code',
        'suggestions.status',
        'suggestions.title',
        'suggestions.body',
        'suggestions.support_count',
        'suggestions.author_phone_idx',
        'suggestions.category_id',
        'suggestions.answer_outcome',
        'suggestions.created_at',
        'consultations.title as consultation_title',
        'consultations.category_id as consultation_category_id',
      ])
      .where('suggestions.created_at', '>=', since);
    if (after) {
      q = q.where((eb) =>
        eb.or([eb('suggestions.created_at', '>', after.createdAt), eb.and([eb('suggestions.created_at', '=', after.createdAt), eb('suggestions.id', '>', after.id)])]),
      );
    }
    return q.orderBy('suggestions.created_at').orderBy('suggestions.id').limit(limit).execute();
  }
}
