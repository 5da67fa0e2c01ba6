// The deployment's appeal classifier (DESIGN.md §7): trained from the categories dispatchers confirmed,
// with a cold start from the seed sentences shipped with the taxonomy; stored in text_models with its
// k-fold cross-validation report so admins can see how good it is before trusting it to dispatch.
import { Worker } from 'node:worker_threads';
import { TextClassifier, type CrossValidationReport, type LabeledText, type Prediction } from '../../domain/text/index.ts';
import { seedExamples } from '../../demo/categories.ts';
import { errors } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { AuditService } from '../audit.ts';
import type { CategoryService } from '../categories.ts';
import type { ServiceContext } from '../context.ts';
import { requirePermission, type Principal, type StaffPrincipal } from '../principal.ts';

/** The text the classifier reads: the title carries the point, the body the detail. */
export const appealText = (title: string, body: string) => `${title.trim()}。${body.trim()}`;

/** Confirmed rows used at most (the newest): bounds nightly training time and memory. */
const MAX_CONFIRMED_ROWS = 60_000;
/** The active model is re-read from the database at most this often (other instances may retrain). */
const RELOAD_MS = 60_000;
const CV_FOLDS = 5;

export interface ModelSummary {
  id: string;
  createdAt: string;
  createdBy: string | null;
  reason: string;
  trainingRows: number;
  confirmedRows: number;
  labels: { categoryId: string; name: string; nameEn: string }[];
  report: CrossValidationReport | null;
  threshold: number;
  autoDispatch: boolean;
}

export class ClassificationService {
  private model: TextClassifier | null = null;
  private modelId: string | null = null;
  private checkedAt = 0;
  private training: Promise<ModelSummary | null> | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly categories: CategoryService,
    private readonly audit: AuditService,
  ) {}

  get threshold(): number {
    return this.ctx.config.AUTO_DISPATCH_THRESHOLD;
  }

  get autoDispatch(): boolean {
    return this.ctx.config.AUTO_DISPATCH === 'on';
  }

  /** The active model, trained from the seed sentences on first use when none is stored. */
  async active(): Promise<{ id: string; model: TextClassifier } | null> {
    if (this.model && Date.now() - this.checkedAt < RELOAD_MS) return { id: this.modelId!, model: this.model };
    const row = await this.ctx.db.selectFrom('text_models').select(['id']).where('active', '=', 1).orderBy('created_at', 'desc').executeTakeFirst();
    this.checkedAt = Date.now();
    if (!row) {
      const s = await this.train(null, 'seed', { crossValidate: true });
      return s ? { id: this.modelId!, model: this.model! } : null;
    }
    if (row.id !== this.modelId) {
      const full = await this.ctx.db.selectFrom('text_models').select(['id', 'model']).where('id', '=', row.id).executeTakeFirstOrThrow();
      this.model = TextClassifier.fromJSON(JSON.parse(full.model));
      this.modelId = full.id;
    }
    return { id: this.modelId!, model: this.model! };
  }

  async predict(title: string, body: string): Promise<(Prediction & { modelId: string }) | null> {
    const m = await this.active();
    if (!m || m.model.labels.length === 0) return null;
    return { ...m.model.predict(appealText(title, body)), modelId: m.id };
  }

  /** Seed sentences for the deployment's active categories, then its confirmed appeals (newest first). */
  async trainingRows(opts: { seedOnly?: boolean } = {}): Promise<{ rows: LabeledText[]; confirmed: number }> {
    const active = new Set((await this.categories.all()).filter((c) => c.active).map((c) => c.id));
    const rows: LabeledText[] = seedExamples.filter((e) => active.has(e.categoryId)).map((e) => ({ text: e.text, label: e.categoryId }));
    if (opts.seedOnly) return { rows, confirmed: 0 };
    // Confirmed: a person settled the category (a dispatcher's dispatch or correction, or a unit that
    // kept the appeal). Appeals the model dispatched itself and nobody corrected are left out, so the
    // model never learns from its own unchecked guesses.
    const confirmed = await this.ctx.db
      .selectFrom('appeals')
      .leftJoin('appeal_insights', 'appeal_insights.appeal_id', 'appeals.id')
      .select(['appeals.title', 'appeals.body', 'appeals.category_id', 'appeal_insights.route', 'appeal_insights.predicted_category_id', 'appeals.transfer_count', 'appeals.return_count'])
      .where('appeals.category_id', 'is not', null)
      .where('appeals.status', 'not in', ['submitted', 'returned', 'merged'])
      .orderBy('appeals.created_at', 'desc')
      .limit(MAX_CONFIRMED_ROWS)
      .execute();
    let n = 0;
    for (const r of confirmed) {
      if (!active.has(r.category_id!)) continue;
      const unchecked = r.route === 'auto' && r.predicted_category_id === r.category_id && r.transfer_count === 0 && r.return_count === 0;
      if (unchecked) continue;
      rows.push({ text: appealText(r.title, r.body), label: r.category_id! });
      n++;
    }
    return { rows, confirmed: n };
  }

  /** Trains, cross-validates and activates a new model. One training at a time per process. */
  async retrain(p: StaffPrincipal): Promise<ModelSummary> {
    requirePermission(p, 'category.manage');
    const s = await this.train(p, 'manual', { crossValidate: true });
    if (!s) throw errors.validation('没有可用于训练的类别', 'There are no categories to train on');
    return s;
  }

  get isTraining(): boolean {
    return this.training !== null;
  }

  /** The active model is older than the span, or is the cold-start model while confirmed appeals exist. */
  async dueForRetraining(now: number, spanMs: number): Promise<boolean> {
    const last = await this.ctx.db.selectFrom('text_models').select(['created_at', 'reason']).where('active', '=', 1).orderBy('created_at', 'desc').executeTakeFirst();
    if (!last || now - Number(last.created_at) >= spanMs) return true;
    if (last.reason !== 'seed') return false;
    const confirmed = await this.ctx.db
      .selectFrom('appeals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('category_id', 'is not', null)
      .where('status', 'in', ['dispatched', 'accepted', 'contacted', 'replied', 'closed'])
      .executeTakeFirst();
    return Number(confirmed?.n ?? 0) >= 200;
  }

  /** For the nightly job. */
  async retrainNightly(): Promise<ModelSummary | null> {
    return this.train(null, 'nightly', { crossValidate: true });
  }

  private async train(p: Principal | null, reason: string, opts: { crossValidate: boolean }): Promise<ModelSummary | null> {
    this.training ??= (async () => {
      const { rows, confirmed } = await this.trainingRows({ seedOnly: reason === 'seed' });
      const labels = new Set(rows.map((r) => r.label));
      if (rows.length === 0 || labels.size === 0) return null;
      const t0 = Date.now();
      const folds = opts.crossValidate && labels.size > 1 && rows.length >= CV_FOLDS * 2 ? CV_FOLDS : 0;
      const trained = await trainInWorker(rows, folds);
      const model = TextClassifier.fromJSON(JSON.parse(trained.model));
      const report = trained.report;
      const now = this.ctx.now();
      const id = newId(now);
      await this.ctx.db.transaction().execute(async (trx) => {
        await trx.updateTable('text_models').set({ active: 0 }).where('active', '=', 1).execute();
        await trx
          .insertInto('text_models')
          .values({ id, created_at: now, created_by: p?.kind === 'staff' ? p.username : null, reason, training_rows: rows.length, confirmed_rows: confirmed, model: trained.model, report: report ? JSON.stringify(report) : null, active: 1 })
          .execute();
        // Keep the last few models for comparison; older ones only take space.
        const old = await trx.selectFrom('text_models').select('id').orderBy('created_at', 'desc').offset(5).limit(1000).execute();
        if (old.length > 0) await trx.deleteFrom('text_models').where('id', 'in', old.map((o) => o.id)).execute();
        if (p) await this.audit.record(p, { action: 'text.model.train', objectType: 'text_model', objectId: id, outcome: 'success', details: { reason, rows: rows.length, confirmed, macroF1: report?.macroF1 ?? null } }, trx);
      });
      this.model = model;
      this.modelId = id;
      this.checkedAt = Date.now();
      this.ctx.log.info({ model: id, rows: rows.length, confirmed, ms: Date.now() - t0, macroF1: report?.macroF1 }, 'classifier trained');
      return this.summary();
    })().finally(() => (this.training = null));
    return this.training;
  }

  /** The active model for admins: what it was trained on and its cross-validated accuracy. */
  async summary(p?: StaffPrincipal): Promise<ModelSummary> {
    if (p && !p.permissions.has('category.manage') && !p.permissions.has('metrics.read')) requirePermission(p, 'category.manage');
    await this.active();
    const row = this.modelId ? await this.ctx.db.selectFrom('text_models').select(['id', 'created_at', 'created_by', 'reason', 'training_rows', 'confirmed_rows', 'report']).where('id', '=', this.modelId).executeTakeFirst() : undefined;
    if (!row) throw errors.notFound('Text model', '分类模型');
    const cats = new Map((await this.categories.all()).map((c) => [c.id, c] as const));
    return {
      id: row.id,
      createdAt: new Date(Number(row.created_at)).toISOString(),
      createdBy: row.created_by,
      reason: row.reason,
      trainingRows: row.training_rows,
      confirmedRows: row.confirmed_rows,
      labels: (this.model?.labels ?? []).map((l) => ({ categoryId: l, name: cats.get(l)?.name ?? l, nameEn: cats.get(l)?.nameEn ?? l })),
      report: row.report ? (JSON.parse(row.report) as CrossValidationReport) : null,
      threshold: this.threshold,
      autoDispatch: this.autoDispatch,
    };
  }
}

/** Trains (and cross-validates when folds ≥ 2) in a worker thread; answers the model's JSON text. */
export function trainInWorker(rows: readonly LabeledText[], folds: number): Promise<{ model: string; report: CrossValidationReport | null }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./worker-shim.mjs', import.meta.url), {
      workerData: { module: new URL('./train-worker.ts', import.meta.url).href, rows, folds },
    });
    w.once('message', (m: { ok: true; model: string; report: CrossValidationReport | null } | { ok: false; error: string }) => {
      void w.terminate();
      if (m.ok) resolve({ model: m.model, report: m.report });
      else reject(new Error(`classifier training failed: ${m.error}`));
    });
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`classifier training worker exited with ${code}`));
    });
  });
}
