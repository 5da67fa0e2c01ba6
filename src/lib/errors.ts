// One error shape for everything a user can see: a stable code and a message in Chinese and English.

export interface ErrorBody {
  error: { code: string; message: string; messageEn: string; details?: Record<string, unknown> };
}

/** A rule of the domain was broken (illegal transition, missing reason …): the caller's fault, 4xx. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly messageZh: string,
    readonly messageEn: string,
    readonly details?: Record<string, unknown>,
    readonly status = 409,
  ) {
    super(messageEn);
    this.name = 'DomainError';
  }
}

/** An application error with an HTTP status (not found, forbidden, validation …). */
export class AppError extends DomainError {
  constructor(status: number, code: string, messageZh: string, messageEn: string, details?: Record<string, unknown>) {
    super(code, messageZh, messageEn, details, status);
    this.name = 'AppError';
  }
}

export const errors = {
  notFound: (what: string, whatZh: string) => new AppError(404, 'NOT_FOUND', `${whatZh}不存在`, `${what} not found`),
  forbidden: (zh = '无权访问该资源', en = 'You do not have access to this resource') => new AppError(403, 'FORBIDDEN', zh, en),
  unauthenticated: () => new AppError(401, 'UNAUTHENTICATED', '请先登录', 'Please sign in'),
  validation: (zh: string, en: string, details?: Record<string, unknown>) => new AppError(400, 'VALIDATION_FAILED', zh, en, details),
  conflict: (code: string, zh: string, en: string) => new AppError(409, code, zh, en),
};

export function toErrorBody(e: DomainError): ErrorBody {
  return { error: { code: e.code, message: e.messageZh, messageEn: e.messageEn, ...(e.details ? { details: e.details } : {}) } };
}
