/** The retention rule's schema (domain/retention.ts), for the handling policy. */
import { z } from 'zod';
import { defaultRetentionPolicy, type RetentionPolicy } from './retention';

export const retentionPolicySchema = z.object({
  afterClosureDays: z.int().min(1).max(36_500).describe("days after a customer's last complaint closed that their personal data is erased"),
  sweepEveryHours: z.int().min(1).max(24 * 31).default(24).describe('how often the retention schedule looks for customers past the period'),
}) satisfies z.ZodType<RetentionPolicy, unknown>;

export const retentionWithDefault = retentionPolicySchema.default(defaultRetentionPolicy);
