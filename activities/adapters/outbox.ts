/**
 * Outbox adapter for the complaint ports, the development default when no effects endpoint is
 * configured: each effect is appended as one JSON line to `<dir>/<effect>.jsonl`, once per key.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, appendFile } from 'node:fs/promises';
import path from 'node:path';
import type { ComplaintPorts } from '../ports';
import { portsOver } from './effect-ports';

/** The reference the outbox "billing system" gives a payment: a pure function of its key. */
export function outboxPaymentReference(idempotencyKey: string): string {
  return 'outbox-' + createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16);
}

interface OutboxFile {
  keys: Set<string>;
  /** Whether the file ends mid-line (a torn write), so the next append starts a new line. */
  needsNewline: boolean;
}

/**
 * Ports that write to an outbox directory (created if missing). Idempotent across restarts: each
 * file's keys are loaded lazily on first use, and writes to one file are serialised.
 */
export function createOutboxPorts(dir: string): ComplaintPorts {
  const files = new Map<string, Promise<OutboxFile>>();
  const tails = new Map<string, Promise<unknown>>();

  async function load(file: string): Promise<OutboxFile> {
    await mkdir(dir, { recursive: true });
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const keys = new Set<string>();
    for (const line of text.split('\n')) {
      try {
        const key = (JSON.parse(line) as { idempotencyKey?: unknown }).idempotencyKey;
        if (typeof key === 'string') keys.add(key);
      } catch {
        // blank or torn line: nothing recorded
      }
    }
    return { keys, needsNewline: text !== '' && !text.endsWith('\n') };
  }

  async function write(name: string, payload: { idempotencyKey: string }): Promise<void> {
    const file = path.join(dir, `${name}.jsonl`);
    if (!files.has(file)) files.set(file, load(file));
    const run = async () => {
      const state = await files.get(file)!;
      if (state.keys.has(payload.idempotencyKey)) return;
      await appendFile(file, (state.needsNewline ? '\n' : '') + JSON.stringify(payload) + '\n', 'utf8');
      state.needsNewline = false;
      state.keys.add(payload.idempotencyKey);
    };
    const result = (tails.get(file) ?? Promise.resolve()).then(run);
    tails.set(file, result.catch(() => undefined));
    return result;
  }

  return portsOver(write, (order) => outboxPaymentReference(order.idempotencyKey));
}
