/** The numbers the seeds do not give, marked in the policy and counted (docs/rules.md, chosen numbers). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countChosenNumbers, describeChosenNumbers, valuesAt } from '../../domain/chosen-numbers';
import { parseHandlingPolicy } from '../../domain/policy';
import { errorMessage } from '../support/errors';
import { shippedPolicy } from '../support/fixtures';

const raw = (): Record<string, any> => JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'policy.json'), 'utf8'));
const rulesDoc = readFileSync(join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8');
const chosenSection = rulesDoc.slice(rulesDoc.indexOf('## Chosen numbers'), rulesDoc.indexOf('## What stays with people'));

describe('valuesAt', () => {
  const doc = { a: { x: { n: 1, m: { k: 2 } }, y: { n: 3 } }, list: [{ h: 4 }, { h: 5 }], t: '08:00' };

  it('reaches a value, every value under an object, and every key at a `*`', () => {
    expect(valuesAt(doc, 't')).toEqual([['t', '08:00']]);
    expect(valuesAt(doc, 'a.x')).toEqual([
      ['a.x.n', 1],
      ['a.x.m.k', 2],
    ]);
    expect(valuesAt(doc, 'a.*.n')).toEqual([
      ['a.x.n', 1],
      ['a.y.n', 3],
    ]);
    expect(valuesAt(doc, 'list.*.h')).toEqual([
      ['list.0.h', 4],
      ['list.1.h', 5],
    ]);
  });

  it('reaches nothing on a path that is not there', () => {
    expect(valuesAt(doc, 'a.z.n')).toEqual([]);
    expect(valuesAt(doc, 't.more')).toEqual([]);
  });
});

describe('the shipped policy', () => {
  it('marks each number the issue of chosen numbers names as ours', () => {
    const marked = new Set(shippedPolicy.chosen.flatMap((m) => valuesAt(shippedPolicy, m.path).map(([p]) => p)));
    for (const path of [
      'clocks.reply.durations.transferred.urgent.hours',
      'clocks.resolve.durations.direct.urgent.hours',
      'escalation.levels.1.respondWithinHours',
      'escalation.levels.2.respondWithinHours',
      'escalation.levels.3.respondWithinHours',
      'promisedTime.contactWithinHours',
      'notUpheld.disputeWindowHours',
      'callback.sampleRate',
      'contactWindow.start',
      'contactWindow.end',
      'escalation.customerRejectionsBeforeEscalation',
    ]) {
      expect(marked).toContain(path);
    }
  });

  it("leaves the seeds' own numbers unmarked", () => {
    const marked = new Set([...shippedPolicy.chosen, ...shippedPolicy.placeholders].flatMap((m) => valuesAt(shippedPolicy, m.path).map(([p]) => p)));
    for (const path of ['clocks.reply.durations.direct.normal.hours', 'clocks.resolve.durations.transferred.normal.hours', 'clocks.callback.durations.direct.normal.hours', 'takeover.handlingFeeRate']) {
      expect(marked).not.toContain(path);
    }
  });

  it('counts 46 chosen numbers, 4 of them placeholders, as docs/rules.md says', () => {
    expect(countChosenNumbers(shippedPolicy)).toEqual({ chosenNumbers: 46, placeholders: 4 });
    expect(chosenSection).toContain('46, 4 of them placeholders');
    expect(describeChosenNumbers(shippedPolicy)).toBe("2026-11-seeds: 46 chosen numbers (not the seeds'), 4 of them placeholders (docs/rules.md#chosen-numbers)");
  });

  it('has every mark listed in docs/rules.md with its reason', () => {
    for (const m of [...shippedPolicy.chosen, ...shippedPolicy.placeholders]) {
      expect(chosenSection).toContain(`\`${m.path}\``);
    }
  });
});

describe('counting', () => {
  it('counts a value marked twice once, and a policy recorded before the marks as none chosen', () => {
    const twice = { ...shippedPolicy, chosen: [...shippedPolicy.chosen, { path: 'approval.limitsFen.manager', note: 'again' }] };
    expect(countChosenNumbers(twice)).toEqual({ chosenNumbers: 46, placeholders: 4 });
    expect(countChosenNumbers({})).toEqual({ chosenNumbers: 0, placeholders: 0 });
  });
});

describe('parseHandlingPolicy', () => {
  it('refuses a mark that reaches nothing, naming it', () => {
    const p = raw();
    p.chosen.push({ path: 'notUpheld.disputeWindowDays', note: 'renamed' });
    expect(errorMessage(() => parseHandlingPolicy(p))).toMatch(/chosen: notUpheld\.disputeWindowDays marks nothing in the policy/);
    const q = raw();
    q.placeholders[0].path = 'takeover.postage';
    expect(errorMessage(() => parseHandlingPolicy(q))).toMatch(/placeholders: takeover\.postage marks nothing/);
  });

  it('takes a policy without marks (recorded before them) as none chosen', () => {
    const p = raw();
    delete p.chosen;
    expect(parseHandlingPolicy(p).chosen).toEqual([]);
  });
});
