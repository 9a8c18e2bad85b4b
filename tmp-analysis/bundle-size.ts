import { bundleWorkflowCode } from '@temporalio/worker';
(async () => {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('/work/main/workflows'), logger: { log(){}, trace(){}, debug(){}, info(){}, warn(){}, error(m: string){ console.error(m);} } });
  console.log('bundle bytes', code.length);
  const mods = [...code.matchAll(/\/\*\*\*\/ "(\.\/[^"]+)":/g)].map((m) => m[1]);
  const sizes: Array<[string, number]> = [];
  for (let i = 0; i < mods.length; i++) {
    const start = code.indexOf(`/***/ "${mods[i]}":`);
    const end = i + 1 < mods.length ? code.indexOf(`/***/ "${mods[i + 1]}":`) : code.length;
    sizes.push([mods[i]!, end - start]);
  }
  const byPkg = new Map<string, number>();
  for (const [m, n] of sizes) { const k = m.includes('node_modules') ? m.split('node_modules/')[1]!.split('/').slice(0, m.includes('@') ? 2 : 1).join('/') : m; byPkg.set(k, (byPkg.get(k) ?? 0) + n); }
  console.log([...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, n]) => `${(n / 1024).toFixed(0)} KiB ${k}`).join('\n'));
})();
