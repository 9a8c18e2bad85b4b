/**
 * Writes domain/generated/*.json: the JSON Schema of the actor, of every command's body and of a
 * handling policy, generated from the zod schemas the API validates with. The workflow's
 * validators check commands against them, so the workflow bundle carries data instead of zod
 * (STYLE §16). A unit test fails when they are stale: run `npm run generate:schemas`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedSchemaFiles } from './lib/command-schemas';

for (const [name, document] of Object.entries(generatedSchemaFiles())) {
  const file = join(__dirname, '..', 'domain', 'generated', name);
  writeFileSync(file, `${JSON.stringify(document)}\n`);
  console.log(`written ${file}`);
}
