import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULTS, loadConfig, VARIABLES } from '../../src/config/index.js';
import { loadManifests, type Manifest } from '../../scripts/validate-kubernetes.js';

/**
 * deploy/kubernetes and compose.yaml against Kubernetes' schemas and against the gateway they deploy: the
 * settings they give are ones the gateway starts with, the grace period covers the shutdown order, the
 * memory is docs/operations.md's plan. .ci/container-smoke.sh starts them for real.
 */

const ROOT = new URL('../../', import.meta.url);
const manifests = loadManifests();
const HOST = { descriptorLimit: 20_000 };
const SPAN_FLUSH_S = 5; // docs/operations.md, Shutdown: buffered spans are sent for at most 5 s

function find(type: string, name: string): Manifest {
  const manifest = manifests.find((m) => m.type === type && m.name === name);
  if (manifest === undefined) throw new Error(`no ${type} ${name} in deploy/kubernetes`);
  return manifest;
}

interface Probe { httpGet?: { path?: string } }
interface Container {
  image: string;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  livenessProbe: Probe;
  readinessProbe: Probe;
  startupProbe: Probe;
  lifecycle: { preStop: { exec: { command: string[] } } };
  securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean };
}
const deployment = find('apps/v1/Deployment', 'braze-analytics-gateway').object as {
  spec: { replicas: number; template: { spec: { terminationGracePeriodSeconds: number; containers: Container[] } } };
};
const pod = deployment.spec.template.spec;
const gateway = pod.containers[0]!;
const configMap = find('v1/ConfigMap', 'braze-analytics-gateway').object as { data: Record<string, string> };
const secret = find('v1/Secret', 'braze-analytics-gateway').object as { stringData: Record<string, string> };

describe('deploy/kubernetes', () => {
  it('is valid against the Kubernetes schemas (kubernetes-models), every kind found', () => {
    expect(manifests.map((m) => m.type).sort()).toEqual(
      expect.arrayContaining(['apps/v1/Deployment', 'policy/v1/PodDisruptionBudget', 'v1/ConfigMap', 'v1/Secret', 'v1/Service']),
    );
  });

  it('the validator refuses a manifest of the wrong shape, naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifests-'));
    try {
      const text = readFileSync(new URL('deploy/kubernetes/deployment.yaml', ROOT), 'utf8').replace('replicas: 3', 'replicas: "3"');
      writeFileSync(join(dir, 'deployment.yaml'), text);
      writeFileSync(join(dir, 'job.yaml'), 'apiVersion: batch/v1\nkind: Job\nmetadata: { name: x }\n');
      expect(() => loadManifests(dir)).toThrow(/deployment\.yaml \(document 1\): apps\/v1\/Deployment braze-analytics-gateway: .*replicas must be integer/);
      expect(() => loadManifests(dir)).toThrow(/job\.yaml \(document 1\): batch\/v1\/Job is no kind this validator knows/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the ConfigMap's settings are ones the gateway starts with (demo mode: no Secret)", () => {
    expect(() => loadConfig(configMap.data, HOST)).not.toThrow();
  });

  it("the Secret example names only variables the gateway reads, and its placeholders stop the start", () => {
    const read = new Set(VARIABLES.map((variable) => variable.name));
    expect(Object.keys(secret.stringData).filter((name) => !read.has(name))).toEqual([]);
    expect(() => loadConfig({ ...configMap.data, ...secret.stringData }, HOST)).toThrow(/BRAZE_API_KEY/);
  });

  it('the grace period covers preStop, SHUTDOWN_GRACE_MS and the spans sent last', () => {
    const preStop = gateway.lifecycle.preStop.exec.command;
    expect(preStop[0]).toBe('sleep');
    const graceMs = Number(configMap.data.SHUTDOWN_GRACE_MS ?? DEFAULTS.shutdownGraceMs);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(Number(preStop[1]) + graceMs / 1000 + SPAN_FLUSH_S);
  });

  it('probes ask /healthz (not /ready: the shared breaker would take every replica out while Braze is down)', () => {
    for (const probe of [gateway.livenessProbe, gateway.readinessProbe, gateway.startupProbe]) expect(probe.httpGet?.path).toBe('/healthz');
  });

  it("memory is docs/operations.md's plan per replica (change both together)", () => {
    const operations = readFileSync(new URL('docs/operations.md', ROOT), 'utf8');
    const plan = /give each replica (\d+) MiB/.exec(operations)?.[1];
    expect(plan, 'docs/operations.md no longer says "give each replica N MiB"').toBeDefined();
    expect(gateway.resources.limits.memory).toBe(`${plan}Mi`);
    expect(gateway.resources.requests.memory).toBe(`${plan}Mi`);
  });

  it('runs unprivileged on a read-only root filesystem', () => {
    expect(gateway.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
  });
});

describe('compose.yaml', () => {
  const compose = parse(readFileSync(new URL('compose.yaml', ROOT), 'utf8')) as {
    services: Record<string, { image: string; environment?: string[] }>;
  };
  const replicas = Object.entries(compose.services).filter(([name]) => name.startsWith('gateway-'));

  it('has three gateway replicas, of the image the Deployment runs', () => {
    expect(replicas.map(([name]) => name)).toEqual(['gateway-1', 'gateway-2', 'gateway-3']);
    for (const [, service] of replicas) expect(service.image).toBe('${GATEWAY_IMAGE:-localhost/braze-analytics-gateway:latest}');
    expect(gateway.image).toBe('localhost/braze-analytics-gateway:latest');
  });

  it("the replicas' settings are ones the gateway starts with, sharing Redis", () => {
    // `KEY` alone passes the variable on only when set where compose runs: unset here.
    const env: Record<string, string> = {};
    for (const entry of replicas[0]![1].environment ?? []) {
      const at = entry.indexOf('=');
      if (at === -1) continue;
      env[entry.slice(0, at)] = entry.slice(at + 1).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
    }
    const config = loadConfig(env, HOST);
    expect(config.cache.redisUrl).toBe('redis://redis:6379');
    expect(config.braze.mode).toBe('simulated');
  });
});
