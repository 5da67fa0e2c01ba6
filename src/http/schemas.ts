// Shared request/response pieces. Objects are strict: unknown fields are refused, not ignored.
import { z } from 'zod';

export const ErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), messageEn: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});

export const errorResponses = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

/** Text a person typed: trimmed, no control characters except newlines and tabs. */
export const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), { message: 'contains control characters' });

export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'invalid id');
export const IdParams = z.strictObject({ id: Id });

export const Paging = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
};
