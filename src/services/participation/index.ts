// Participation (问计于民, issue 7): consultations with suggestions, and the 安全感·满意度 survey.
import type { AuditService } from '../audit.ts';
import type { CategoryService } from '../categories.ts';
import type { ServiceContext } from '../context.ts';
import type { OrgService } from '../org.ts';
import { ConsultationService } from './consultations.ts';
import { SurveyService } from './surveys.ts';

export interface ParticipationServices {
  consultations: ConsultationService;
  surveys: SurveyService;
}

export function createParticipation(ctx: ServiceContext, org: OrgService, categories: CategoryService, audit: AuditService): ParticipationServices {
  return { consultations: new ConsultationService(ctx, org, categories, audit), surveys: new SurveyService(ctx, org, audit) };
}

export { ConsultationService, SurveyService };
export type { SuggestionText } from './consultations.ts';
export type { SurveyIndexFigure, SurveyOpenText, PeriodLike } from './surveys.ts';
