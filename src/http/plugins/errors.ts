// One error shape for every failure: { error: { code, message (zh), messageEn, details? } }.
// Validation failures, broken JSON, wrong content types and oversized bodies are the caller's
// fault (4xx); anything else is logged and answered without internals.
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, toErrorBody } from '../../lib/errors.ts';

function send(reply: import('fastify').FastifyReply, status: number, code: string, zh: string, en: string, details?: Record<string, unknown>) {
  return reply.status(status).send({ error: { code, message: zh, messageEn: en, ...(details ? { details } : {}) } });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof DomainError) return reply.status(err.status).send(toErrorBody(err));
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        path: `${err.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`,
        message: v.message ?? 'invalid',
      }));
      const first = issues[0];
      return send(reply, 400, 'VALIDATION_FAILED', `请求参数有误:${first ? `${first.path} ${first.message}` : ''}`, `Invalid request: ${first ? `${first.path} ${first.message}` : ''}`, { issues });
    }
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(reply, 400, 'INVALID_JSON', '请求体不是有效的 JSON', 'The request body is not valid JSON');
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, 413, 'BODY_TOO_LARGE', '请求体过大', 'The request body is too large');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return send(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型,请使用 application/json', 'Unsupported content type: use application/json');
      case 'FST_ERR_VALIDATION':
        return send(reply, 400, 'VALIDATION_FAILED', `请求参数有误:${err.message}`, `Invalid request: ${err.message}`);
      default:
        break;
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return send(reply, err.statusCode, err.code ?? 'BAD_REQUEST', '请求无法处理', err.message);
    }
    req.log.error({ err }, 'unhandled error');
    return send(reply, 500, 'INTERNAL', '服务器内部错误,请稍后重试', 'Internal server error; please retry later');
  });

  app.setNotFoundHandler((req, reply) =>
    send(reply, 404, 'ROUTE_NOT_FOUND', `接口不存在:${req.method} ${req.url.split('?')[0]}`, `No such endpoint: ${req.method} ${req.url.split('?')[0]}`),
  );
}
