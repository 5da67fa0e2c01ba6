import { AppealRepository } from './appeals.ts';
import { AuditRepository } from './audit.ts';
import { CategoryRepository } from './categories.ts';
import { OrgRepository } from './org.ts';
import { IdempotencyRepository, LeaseRepository, SettingsRepository } from './system.ts';
import { TaskRepository } from './tasks.ts';
import { UserRepository } from './users.ts';

/** Repositories are stateless: one set per process. */
export const repos = {
  appeals: new AppealRepository(),
  audit: new AuditRepository(),
  categories: new CategoryRepository(),
  org: new OrgRepository(),
  idempotency: new IdempotencyRepository(),
  leases: new LeaseRepository(),
  settings: new SettingsRepository(),
  tasks: new TaskRepository(),
  users: new UserRepository(),
};
export type { Executor } from './appeals.ts';
