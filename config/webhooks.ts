/**
 * The worker's calls out: `WEBHOOK_SUBSCRIBERS`, who receives the lifecycle events, and
 * `EFFECTS_CREDENTIALS`, what each outside system is called with.
 */
import { z } from 'zod';

export const webhookSubscribersSchema = z.array(
  z.object({
    url: z.url(),
    secret: z.string().min(16, 'a webhook secret has at least 16 characters'),
    /** During a rotation, the secret being retired: each delivery is signed with both until it is removed. */
    previousSecret: z.string().min(16, 'a webhook secret has at least 16 characters').optional(),
    /** Deliver to this subscriber even when its host resolves to a private or loopback address. */
    allowPrivateAddress: z.boolean().optional(),
    /** Event names to receive; all when absent. */
    events: z.array(z.string().min(1)).optional(),
  }),
);
export type WebhookSubscriber = z.infer<typeof webhookSubscribersSchema>[number];

/** How one outside system is called: a bearer token, or an HMAC signature over the body. */
export const effectCredentialSchema = z.union([
  z.strictObject({ bearer: z.string().min(16, 'a bearer token has at least 16 characters') }),
  z.strictObject({ hmacSecret: z.string().min(32, 'an HMAC secret has at least 32 characters'), keyId: z.string().min(1).max(64).optional() }),
]);
export type EffectCredential = z.infer<typeof effectCredentialSchema>;
/** By effect name (the path under EFFECTS_BASE_URL) or `default`. */
export const effectCredentialsSchema = z.record(z.string().regex(/^[a-z-]{1,40}$/, 'an effect name such as payments, or default'), effectCredentialSchema);
export type EffectCredentials = z.infer<typeof effectCredentialsSchema>;
