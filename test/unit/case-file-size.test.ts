/**
 * The case file's size rules (domain/case-file-size.ts), the inbox's bounds (the queue of commands
 * sent without waiting, the ids it remembers) and an effect batch that carries one archive record
 * for several keys. The whole path over HTTP on the dev server: integration/case-file-limit.test.ts.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { createMemoryPorts } from '../../activities/adapters/memory';
import type { ArchiveRecord, EffectRequest } from '../../activities/ports';
import {
  CASE_FILE_CEILING_BYTES,
  CASE_FILE_LIMIT_BYTES,
  WAITING_COMMANDS_LIMIT_BYTES,
  caseFileFullness,
  addsToTheRecordAtWill,
  caseFileLimitFor,
  caseFileRefusal,
  jsonBytes,
  utf8Bytes,
  waitingRoomRefusal,
} from '../../domain/case-file-size';
import { commandNames } from '../../domain/vocabulary';
import type { EffectResult } from '../../domain/effects';
import { CommandInbox } from '../../workflows/command-inbox';
import type { SubmittedCommand } from '../../contract/complaint';

describe('sizes, as they travel', () => {
  test.each([
    ['plain ASCII', 'refund', 6],
    ['Chinese (3 bytes a character)', '退款', 6],
    ['accented Latin (2 bytes)', 'é', 2],
    ['an emoji (a surrogate pair, 4 bytes)', '😀', 4],
    ['empty', '', 0],
  ])('%s', (_what, text, bytes) => {
    expect(utf8Bytes(text)).toBe(bytes);
    expect(utf8Bytes(text)).toBe(Buffer.byteLength(text, 'utf8'));
  });

  test('jsonBytes is the UTF-8 length of the JSON', () => {
    const value = { note: '客'.repeat(100), n: 1 };
    expect(jsonBytes(value)).toBe(Buffer.byteLength(JSON.stringify(value), 'utf8'));
  });
});

describe('what a full case file refuses', () => {
  test('notes at the limit, the other commands that add to the record at will at the ceiling, never withdrawal nor the stage commands', () => {
    const atWill = commandNames.filter(addsToTheRecordAtWill).sort();
    expect(atWill).toEqual(['addNote', 'applyCalendar', 'applyPolicy', 'approveRuleChange', 'escalate', 'reassignOwner', 'reclassify', 'recordContact']);
    for (const name of commandNames) {
      const limit = caseFileLimitFor(name);
      if (!atWill.includes(name)) {
        expect(limit).toBeUndefined();
        expect(caseFileRefusal(name, 100 * CASE_FILE_CEILING_BYTES)).toBeUndefined();
        continue;
      }
      expect(limit).toBe(name === 'addNote' ? CASE_FILE_LIMIT_BYTES : CASE_FILE_CEILING_BYTES);
      expect(caseFileRefusal(name, limit! - 1)).toBeUndefined();
      expect(caseFileRefusal(name, limit!)).toMatch(new RegExp(`the case file is full \\(${limit! / 1024} KiB of the ${limit! / 1024} KiB it may hold for this\\)`));
    }
  });

  test('room, full, at the ceiling', () => {
    expect(caseFileFullness(CASE_FILE_LIMIT_BYTES - 1)).toBe('room');
    expect(caseFileFullness(CASE_FILE_LIMIT_BYTES)).toBe('full');
    expect(caseFileFullness(CASE_FILE_CEILING_BYTES - 1)).toBe('full');
    expect(caseFileFullness(CASE_FILE_CEILING_BYTES)).toBe('at-ceiling');
    // The ceiling, the queue and a continue-as-new's own input stay under Temporal's 2 MiB.
    expect(CASE_FILE_CEILING_BYTES + WAITING_COMMANDS_LIMIT_BYTES).toBeLessThan(2 * 1024 * 1024 - 256 * 1024);
  });

  test('the queue of commands waiting takes a command only while it fits', () => {
    expect(waitingRoomRefusal('addNote', WAITING_COMMANDS_LIMIT_BYTES - 100, 100)).toBeUndefined();
    expect(waitingRoomRefusal('addNote', WAITING_COMMANDS_LIMIT_BYTES - 100, 101)).toMatch(/commands waiting to be judged hold 256 KiB of 256 KiB/);
  });
});

describe('the inbox', () => {
  const actor = { id: 'agent-7', role: 'agent' };
  const note = (n: number, text = 'a note'): SubmittedCommand => ({ commandId: `note-${n}`, command: 'addNote', input: { actor, text } as never });
  const now = new Date('2026-12-01T02:00:00Z');

  test('counts what its queue holds, and gives it back as commands are judged', () => {
    const inbox = new CommandInbox();
    expect(inbox.submit(note(1, '客'.repeat(1000)), now)).toBeUndefined();
    expect(inbox.submit(note(2), now)).toBeUndefined();
    expect(inbox.queuedBytes).toBe(jsonBytes(note(1, '客'.repeat(1000))) + jsonBytes(note(2)));
    inbox.decided('note-1', undefined, now);
    expect(inbox.queuedBytes).toBe(jsonBytes(note(2)));
    // Carried over continue-as-new, the count comes along.
    expect(new CommandInbox(inbox.snapshot()).queuedBytes).toBe(jsonBytes(note(2)));
  });

  test('a command turned away is refused at once under its id (case-file-full), and not queued', () => {
    const inbox = new CommandInbox();
    const seen: number[] = [];
    const outcome = inbox.submit(note(1), now, (_c, bytes) => {
      seen.push(bytes);
      return 'the queue is full';
    });
    expect(outcome).toMatchObject({ refused: { commandId: 'note-1' }, reason: 'the queue is full' });
    expect(seen).toEqual([jsonBytes(note(1))]);
    expect(inbox.next).toBeUndefined();
    expect(inbox.status('note-1')).toMatchObject({ status: 'refused', rejection: { kind: 'case-file-full', message: 'the queue is full' } });
    // A resend of the same id is not judged again.
    expect(inbox.submit(note(1), now, () => 'again')).toBeUndefined();
  });

  test('forgets the oldest decided commands past its bound, never one still queued', () => {
    const inbox = new CommandInbox();
    inbox.submit(note(0), now); // queued, not decided: stays
    for (let i = 1; i <= 10; i++) inbox.appliedAsUpdate(`update-${i}`, 'addNote', now);
    expect(inbox.remembered).toBe(11);
    inbox.forgetOldestDecided(5);
    expect(inbox.remembered).toBe(5);
    expect(inbox.status('note-0')).toMatchObject({ status: 'pending' });
    expect(inbox.status('update-1')).toBeNull();
    expect(inbox.status('update-10')).toMatchObject({ status: 'applied' });
    expect(inbox.sizeInBytes()).toBe(jsonBytes([inbox.status('note-0'), ...[7, 8, 9, 10].map((i) => inbox.status(`update-${i}`))]) + jsonBytes([]));
  });
});

describe('an effect batch with several archive records', () => {
  const record = (key: string): ArchiveRecord => ({ idempotencyKey: key, complaintId: 'C-1', state: { complaintId: 'C-1', stage: 'investigating' } as never, timeline: [] });
  type Batch = { complaintId: string; effects: EffectRequest[] };
  const run = (effects: EffectRequest[]) => {
    const { ports, effects: recorded } = createMemoryPorts();
    const results = new MockActivityEnvironment().run<[Batch], EffectResult[], (b: Batch) => Promise<EffectResult[]>>(createActivities(ports).carryOutEffects, { complaintId: 'C-1', effects });
    return { results, recorded };
  };

  test('carries the record once; the archive hears each key with it', async () => {
    const { results, recorded } = run([
      { key: 'a-1', kind: 'archive', message: record('a-1') },
      { key: 'a-2', kind: 'archive', message: { idempotencyKey: 'a-2', complaintId: 'C-1', sameRecordAs: 'a-1' } },
    ]);
    expect((await results).map((r) => [r.key, r.outcome])).toEqual([
      ['a-1', 'done'],
      ['a-2', 'done'],
    ]);
    expect(recorded.map((e) => e.payload)).toEqual([record('a-1'), record('a-2')]);
  });

  test('a record named but not in the batch is refused, not written empty', async () => {
    const { results, recorded } = run([{ key: 'a-2', kind: 'archive', message: { idempotencyKey: 'a-2', complaintId: 'C-1', sameRecordAs: 'a-1' } }]);
    expect(await results).toEqual([{ key: 'a-2', outcome: 'refused', reason: expect.stringMatching(/no record under a-1/) }]);
    expect(recorded).toEqual([]);
  });
});
