/** `WEBHOOK_SUBSCRIBERS`: who receives the lifecycle events (read by the worker's webhook publisher). */
import { z } from 'zod';

export const webhookSubscribersSchema = z.array(
  z.object({
    url: z.url(),
    secret: z.string().min(16, 'a webhook secret has at least 16 characters'),
    /** Event names to receive; all when absent. */
    events: z.array(z.string().min(1)).optional(),
  }),
);
export type WebhookSubscriber = z.infer<typeof webhookSubscribersSchema>[number];
