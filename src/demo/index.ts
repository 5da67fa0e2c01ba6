// The deterministic demo city generator (pure: no I/O, no clock, seeded randomness only).
//
// Seeding with it:
//   const city = generateCity(seed);
//   const categories = demoCategories();
//   const catalogue = dispatchCatalogue(city, categories);
//   for (const plan of generateAppealPlans(city, categories, catalogue, { count, seed, now, deadlines })) …
// For each plan, apply its steps in order through the appeal machine, filling what the plan leaves
// to the seeder: submit/reopen deadlines (computeDeadlines at step.at with the category's
// handleWorkingDays), an approved decide_extension's handleDueAt (extendDeadline of the current
// handleDueAt by the pending days). Pass the same functions as `deadlines` so the plan's overdue
// marks (mark_overdue.dueAt) fall exactly on those deadlines. Merge commands name their target as
// demoAppealKey(index) (also plan.mergedIntoIndex); the target always has a lower index.
export * from './random.ts';
export * from './city.ts';
export * from './categories.ts';
export * from './names.ts';
export {
  composeAppeal,
  composeReply,
  TextContext,
  groupOf,
  returnReason,
  transferReason,
  extensionReason,
  extensionDecisionNote,
  superviseNote,
  redirectGuidance,
  unreasonableReason,
  unreasonableDecisionNote,
  contactNote,
  dispatchNote,
  closeReason,
  reopenReason,
  mergeNote,
  ratingAppealReason,
  ratingAppealDecisionNote,
  ratingComment,
  type AppealText,
  type TextEnv,
  type ReplyInput,
  type Outcome,
} from './text.ts';
export * from './appeals.ts';
