import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
(async () => {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('/work/main/workflows'), logger: { log(){}, trace(){}, debug(){}, info(){}, warn(){}, error(m: string){ console.error(m);} } });
  writeFileSync('/tmp/bundle.js', code);
})();
