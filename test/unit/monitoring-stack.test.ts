/** Static checks of Prometheus's scrape configuration and Grafana's provisioning, as docker-compose.yml mounts them. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { apiMetrics } from '../../api/metrics/routes';
import { loadSettings } from '../../config/settings';
import { createWorkerMetrics } from '../../worker/metrics';
import { shippedPolicy } from '../support/fixtures';
import { archiveDatabase, compose, dependsOn, env, exposed, interpolated, isDict, loadYaml, mountedAt, outsideSystems, ports, root, service, type Dict } from '../support/compose';

interface Panel {
  type: string;
  title: string;
  datasource?: { uid?: string };
  targets?: Array<{ expr?: string; datasource?: { uid?: string } }>;
}

describe('prometheus', () => {
  const configPath = () => {
    const flag = ((service('prometheus').command ?? []) as unknown[]).map(String).find((a) => a.startsWith('--config.file='));
    return mountedAt('prometheus', flag?.slice('--config.file='.length) ?? '/etc/prometheus/prometheus.yml');
  };
  const scrapeConfigs = () => (loadYaml(configPath()).scrape_configs ?? []) as Dict[];
  const job = (name: string) => {
    const found = scrapeConfigs().find((c) => c.job_name === name);
    if (!found) throw new Error(`no scrape job ${name}`);
    return found;
  };

  it('is a pinned image with its configuration from docker/prometheus and its data on a declared volume', () => {
    expect(String(service('prometheus').image)).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(configPath()).toBe(join(root, 'docker', 'prometheus', 'prometheus.yml'));
    const data = ((service('prometheus').volumes ?? []) as unknown[]).map(String).find((v) => v.split(':')[1] === '/prometheus')?.split(':')[0];
    expect(isDict(compose.volumes) && data !== undefined && data in compose.volumes).toBe(true);
  });

  it("scrapes the api's /metrics at its service name and PORT", () => {
    const targets = ((job('complaint-api').static_configs ?? []) as Dict[]).flatMap((c) => (c.targets ?? []) as string[]);
    expect(targets).toEqual([`api:${env('api').PORT}`]);
    expect(job('complaint-api').metrics_path ?? '/metrics').toBe('/metrics');
  });

  it("scrapes every worker replica (DNS service discovery on the service name) at both of the worker's metrics ports", () => {
    const settings = loadSettings(interpolated('worker', { ...outsideSystems, ...archiveDatabase }));
    for (const [name, port] of [['complaint-worker', settings.workerMetrics!.port], ['temporal-sdk', settings.workerSdkMetrics!.port]] as const) {
      expect(job(name).static_configs).toBeUndefined();
      expect(job(name).dns_sd_configs).toEqual([expect.objectContaining({ names: ['worker'], type: 'A', port })]);
    }
  });

  it('starts after what it scrapes', () => {
    expect(Object.keys(dependsOn('prometheus')).sort()).toEqual(['api', 'worker']);
  });
});

describe('grafana', () => {
  const provisioning = () => mountedAt('grafana', '/etc/grafana/provisioning');
  const datasources = () => (loadYaml(join(provisioning(), 'datasources', 'prometheus.yml')).datasources ?? []) as Dict[];
  const providers = () => (loadYaml(join(provisioning(), 'dashboards', 'complaints.yml')).providers ?? []) as Dict[];
  const dashboard = () => {
    const path = (providers()[0]?.options as Dict | undefined)?.path as string;
    const folder = mountedAt('grafana', path);
    return JSON.parse(readFileSync(join(folder, 'complaints.json'), 'utf8')) as { uid: string; panels: Panel[] };
  };
  const queries = () => dashboard().panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''));

  it('is a pinned image, published on 3001 (the api has 3000)', () => {
    expect(String(service('grafana').image)).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    expect(ports('grafana')).toContainEqual({ published: '3001', target: '3000' });
    expect(dependsOn('grafana')).toMatchObject({ prometheus: 'service_started' });
  });

  it('provisions the Prometheus service as its default data source', () => {
    const prometheusPort = exposed('prometheus')[0];
    expect(datasources()).toEqual([expect.objectContaining({ type: 'prometheus', url: `http://prometheus:${prometheusPort}`, isDefault: true, uid: 'prometheus' })]);
  });

  it('provisions the dashboard from the folder mounted where the provider looks, as the home dashboard', () => {
    expect(providers()).toEqual([expect.objectContaining({ type: 'file' })]);
    expect(dashboard().uid).toBe('complaints');
    const home = env('grafana').GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    expect(existsSync(join(mountedAt('grafana', home.slice(0, home.lastIndexOf('/'))), home.slice(home.lastIndexOf('/') + 1)))).toBe(true);
  });

  it('queries the provisioned data source in every panel', () => {
    const uid = datasources()[0]?.uid;
    const panels = dashboard().panels.filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThanOrEqual(10);
    for (const p of panels) {
      expect({ panel: p.title, uid: p.datasource?.uid, targets: (p.targets ?? []).length > 0 }).toEqual({ panel: p.title, uid, targets: true });
      for (const t of p.targets ?? []) expect({ panel: p.title, uid: t.datasource?.uid, expr: (t.expr ?? '').length > 0 }).toEqual({ panel: p.title, uid, expr: true });
    }
  });

  it('has the panels operations asked for: open by stage, warnings, breaches, escalations by level, promises, failing effects, API and SDK', () => {
    const all = queries().join('\n');
    for (const wanted of [
      /complaints_open\b/,
      /complaints_open_by_escalation_level/,
      /complaints_open_sla_breached/,
      /kind=~"sla-warning\|sla-breached"/,
      /kind="escalated"/,
      /complaint_promises_total\{status=~"kept\|missed"\}/,
      /complaint_activity_failures_total/,
      /http_requests_total/,
      /http_request_duration_seconds_bucket/,
      /temporal_workflow_task_schedule_to_start_latency_seconds_bucket/,
      /temporal_sticky_cache_size/,
    ]) {
      expect(all).toMatch(wanted);
    }
  });

  it("queries only metrics the api and the worker define (the SDK's are checked against a real scrape in test/integration/metrics.test.ts)", async () => {
    const untouchable = new Proxy({} as Client, { get: () => { throw new Error('no Temporal here'); } });
    const defined = new Map<string, string>();
    for (const registry of [createWorkerMetrics().registry, apiMetrics({ client: untouchable, policy: shippedPolicy }).registry]) {
      for (const m of await registry.getMetricsAsJSON()) defined.set(m.name, String(m.type));
    }
    const used = new Set(queries().flatMap((q) => q.match(/\b(?:complaints?|http)_[a-z_]+/g) ?? []));
    expect(used.size).toBeGreaterThanOrEqual(8);
    for (const name of used) {
      const base = name.replace(/_(bucket|count|sum)$/, '');
      const ok = defined.has(name) || (base !== name && defined.get(base) === 'histogram');
      expect({ name, defined: ok }).toEqual({ name, defined: true });
    }
  });
});
