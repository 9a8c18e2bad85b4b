/**
 * The numbers of a policy that the seeds do not give: the project's choices (`chosen`) and the
 * stand-ins a deployment must replace (`placeholders`), each marked by its path in the policy.
 * A path's segments are keys or indexes; `*` matches every key or index at that place. Pure.
 */

export interface MarkedFigure {
  path: string;
  note: string;
}

/** The marks a policy carries; both lists may be absent on policies recorded before them. */
export interface Marks {
  chosen?: readonly MarkedFigure[];
  placeholders?: readonly MarkedFigure[];
}

/** Every value (number, time of day, ...) `path` reaches in `doc`, by its concrete path. */
export function valuesAt(doc: unknown, path: string): Array<[string, unknown]> {
  let found: Array<[string, unknown]> = [['', doc]];
  for (const segment of path.split('.')) {
    found = found.flatMap(([at, value]) => {
      if (value === null || typeof value !== 'object') return [];
      const entries = Object.entries(value as Record<string, unknown>);
      const picked = segment === '*' ? entries : entries.filter(([key]) => key === segment);
      return picked.map(([key, v]) => [at ? `${at}.${key}` : key, v] as [string, unknown]);
    });
  }
  return found.flatMap(([at, value]) => leaves(at, value));
}

/** The primitive values under `value`: an object or array counts its members. */
function leaves(at: string, value: unknown): Array<[string, unknown]> {
  if (value === null || typeof value !== 'object') return [[at, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => leaves(`${at}.${key}`, v));
}

/** The marked paths that reach nothing in `doc` (a renamed field leaves its mark behind). */
export function strayMarks(doc: unknown, marks: readonly MarkedFigure[]): string[] {
  return marks.filter((m) => valuesAt(doc, m.path).length === 0).map((m) => m.path);
}

/** How many chosen numbers `policy` holds, and how many of them are placeholders; a value marked twice counts once. */
export function countChosenNumbers(policy: Marks): { chosenNumbers: number; placeholders: number } {
  const at = (marks: readonly MarkedFigure[] = []) => new Set(marks.flatMap((m) => valuesAt(policy, m.path).map(([p]) => p)));
  const placeholders = at(policy.placeholders);
  const all = new Set([...at(policy.chosen), ...placeholders]);
  return { chosenNumbers: all.size, placeholders: placeholders.size };
}

/** One line for the start banner: the policy's version and how many of its numbers are ours. */
export function describeChosenNumbers(policy: Marks & { version: string }): string {
  const { chosenNumbers, placeholders } = countChosenNumbers(policy);
  return `${policy.version}: ${chosenNumbers} chosen numbers (not the seeds'), ${placeholders} of them placeholders (docs/rules.md#chosen-numbers)`;
}
