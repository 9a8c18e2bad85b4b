/** Writes the pre-built workflow bundle the production worker loads (dist/workflow-bundle.js). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath } from '../config/payload-codec';

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), failureConverterPath });
  const out = join(__dirname, '..', __dirname.endsWith(join('dist', 'scripts')) ? '' : 'dist', 'workflow-bundle.js');
  writeFileSync(out, code);
  console.log(`workflow bundle written to ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
