/**
 * Validates deploy/kubernetes/ against Kubernetes' own schemas (kubernetes-models: JSON schemas generated
 * from the Kubernetes OpenAPI definitions, checked with ajv), without a cluster. Every YAML document must
 * be a kind listed below and valid as that kind; each kustomization's resources must exist.
 * `npm run deploy:validate`; test/unit/kubernetesManifests.test.ts also runs it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';

export const MANIFESTS_DIR = fileURLToPath(new URL('../deploy/kubernetes/', import.meta.url));

/** The kinds the manifests may use, each with its model's validator. */
const MODELS: Readonly<Record<string, (data: object) => { validate(): void }>> = {
  'apps/v1/Deployment': (data) => new Deployment(data),
  'policy/v1/PodDisruptionBudget': (data) => new PodDisruptionBudget(data),
  'v1/ConfigMap': (data) => new ConfigMap(data),
  'v1/Secret': (data) => new Secret(data),
  'v1/Service': (data) => new Service(data),
};
const KUSTOMIZATION = 'kustomize.config.k8s.io/v1beta1/Kustomization';

export interface Manifest {
  /** Relative to MANIFESTS_DIR. */
  readonly file: string;
  /** apiVersion/kind. */
  readonly type: string;
  readonly name: string;
  readonly object: Record<string, unknown>;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(entry) ? [path] : [];
    });
}

/** Every document of every YAML file under `dir`, validated. Throws naming every problem found. */
export function loadManifests(dir: string = MANIFESTS_DIR): Manifest[] {
  const manifests: Manifest[] = [];
  const problems: string[] = [];
  for (const path of yamlFiles(dir)) {
    const file = relative(dir, path);
    for (const [index, document] of parseAllDocuments(readFileSync(path, 'utf8')).entries()) {
      const where = `${file} (document ${index + 1})`;
      if (document.errors.length > 0) {
        problems.push(`${where}: ${document.errors.map((error) => error.message).join('; ')}`);
        continue;
      }
      const object: unknown = document.toJS();
      if (object === null || typeof object !== 'object' || Array.isArray(object)) {
        problems.push(`${where}: not a mapping`);
        continue;
      }
      const record = object as Record<string, unknown>;
      const type = `${String(record.apiVersion)}/${String(record.kind)}`;
      const metadata = record.metadata as { name?: unknown } | undefined;
      const name = typeof metadata?.name === 'string' ? metadata.name : '';
      if (type === KUSTOMIZATION) {
        for (const resource of (record.resources as unknown[] | undefined) ?? []) {
          if (typeof resource !== 'string' || !existsUnder(join(path, '..'), resource)) {
            problems.push(`${where}: resource ${String(resource)} does not exist`);
          }
        }
      } else {
        const model = MODELS[type];
        if (model === undefined) {
          problems.push(`${where}: ${type} is no kind this validator knows`);
          continue;
        }
        try {
          model(record).validate();
        } catch (error) {
          problems.push(`${where}: ${type} ${name}: ${error instanceof Error ? error.message : String(error)}`);
          continue;
        }
      }
      manifests.push({ file, type, name, object: record });
    }
  }
  if (problems.length > 0) throw new Error(`deploy/kubernetes is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return manifests;
}

function existsUnder(dir: string, path: string): boolean {
  try {
    statSync(join(dir, path));
    return true;
  } catch {
    return false;
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const manifests = loadManifests();
    for (const manifest of manifests) process.stdout.write(`valid: ${manifest.file} ${manifest.type} ${manifest.name}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
