// Checks of rendered Kubernetes manifests (the output of `kubectl kustomize`): each object against the strict
// schema of its kind, then the references between objects and the silo's contract.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { Checks, checkEnvironmentNames, quantity, selects } from './checks.mjs';
import {
  LIVENESS_PATH, READINESS_PATH, SILO_CONTAINER, SILO_DEFAULTS, SILO_DEPLOYMENT, SILO_ENVIRONMENT, SILO_PORTS,
  SILO_REQUIRED, SILO_SERVICES, ledgerPartitions,
} from './contract.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(path.join(here, 'schema', 'kubernetes.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(schema, 'kubernetes');

/** The schema definition for each `apiVersion kind`, read from the consts the generated schema carries. */
const definitions = new Map(Object.keys(schema.definitions.Kinds.properties).map(name => {
  const properties = schema.definitions[name].properties;
  return [`${properties.apiVersion.const} ${properties.kind.const}`, name];
}));

const WORKLOADS = new Set(['Deployment', 'StatefulSet']);

const describe = doc => `${doc?.kind ?? '?'}/${doc?.metadata?.name ?? '?'}`;

/**
 * Checks rendered manifests. `provided`: objects the operator creates outside this render (the production
 * Secret from a secret store), which references may point at; they are not themselves checked.
 */
export function checkKubernetes(docs, { artifact = 'kubernetes', provided = [] } = {}) {
  const checks = new Checks(artifact);
  const objects = docs.filter(d => d !== null && d !== undefined);
  checks.expect(objects.length > 0, 'the render holds no objects');
  for (const doc of objects) {
    checkSchema(checks, doc);
  }
  checkUniqueNames(checks, objects);

  const lookup = (kind, name) => objects.find(d => d.kind === kind && d.metadata?.name === name)
    ?? provided.find(d => d?.kind === kind && d.metadata?.name === name);
  const workloads = objects.filter(d => WORKLOADS.has(d.kind) && d.spec?.template);
  for (const workload of workloads) {
    checkWorkload(checks, workload, lookup);
  }

  const silo = workloads.find(w => w.kind === 'Deployment' && w.metadata?.name === SILO_DEPLOYMENT);
  if (checks.expect(silo, `no Deployment ${SILO_DEPLOYMENT}`)) {
    checkSilo(checks, silo, lookup);
  }
  for (const service of objects.filter(d => d.kind === 'Service')) {
    checkService(checks, service, workloads);
  }
  for (const [name, portName] of Object.entries(SILO_SERVICES)) {
    const service = lookup('Service', name);
    checks.expect(service?.spec?.ports?.some(p => p.port === SILO_PORTS[portName].port && p.targetPort === portName),
      `Service ${name} must expose port ${SILO_PORTS[portName].port} to the silo's ${portName} port`);
  }
  if (silo) {
    checkNetworkPolicies(checks, objects.filter(d => d.kind === 'NetworkPolicy'), silo);
  }
  const budgets = objects.filter(d => d.kind === 'PodDisruptionBudget');
  checks.expect(budgets.some(b => silo && selects(b.spec?.selector?.matchLabels, silo.spec.template.metadata?.labels) && b.spec?.maxUnavailable === 1),
    `no PodDisruptionBudget with maxUnavailable 1 selects the pods of ${SILO_DEPLOYMENT}`);
  for (const budget of budgets) {
    checks.expect(workloads.some(w => selects(budget.spec?.selector?.matchLabels, w.spec.template.metadata?.labels)),
      `${describe(budget)} selects no pods of any workload (matchLabels ${JSON.stringify(budget.spec?.selector?.matchLabels)})`);
  }
  checks.summary = {
    objects: objects.map(d => ({ kind: d.kind, name: d.metadata?.name, namespace: d.metadata?.namespace ?? null })),
    networkPolicies: objects.filter(d => d.kind === 'NetworkPolicy').map(p => ({
      name: p.metadata?.name,
      selectsSilo: Boolean(silo && selects(p.spec?.podSelector?.matchLabels, silo.spec.template.metadata?.labels)),
      ingress: (p.spec?.ingress ?? []).map(rule => ({
        ports: (rule.ports ?? []).map(port => port.port ?? null),
        from: (rule.from ?? []).map(peer => peer.podSelector?.matchLabels ?? null),
      })),
    })),
    workloads: workloads.map(w => ({
      kind: w.kind, name: w.metadata.name, replicas: w.spec.replicas ?? 1, images: (w.spec.template.spec?.containers ?? []).map(c => c.image),
    })),
  };
  return checks;
}

function checkSchema(checks, doc) {
  const name = definitions.get(`${doc.apiVersion} ${doc.kind}`);
  if (!checks.expect(name, `${describe(doc)}: ${doc.apiVersion} ${doc.kind} is not a kind the schema knows (tests/deploy/kinds.ts)`)) {
    return;
  }
  checks.expect(typeof doc.metadata?.name === 'string' && doc.metadata.name.length > 0, `${describe(doc)}: metadata.name is missing`);
  const validate = ajv.getSchema(`kubernetes#/definitions/${name}`);
  const valid = validate(doc);
  checks.expect(valid, valid ? '' : `${describe(doc)}: does not match the ${name} schema: ${validate.errors.map(e =>
    `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ''}`).join('; ')}`);
}

function checkUniqueNames(checks, objects) {
  const seen = new Set();
  for (const doc of objects) {
    const key = `${doc.kind}/${doc.metadata?.namespace ?? ''}/${doc.metadata?.name}`;
    checks.expect(!seen.has(key), `${describe(doc)} is defined twice`);
    seen.add(key);
  }
}

/** The container's environment as the kubelet builds it: envFrom first, then env (which wins). */
function environment(checks, where, container, lookup) {
  const variables = new Map();
  for (const source of container.envFrom ?? []) {
    const [kind, reference] = source.configMapRef ? ['ConfigMap', source.configMapRef] : ['Secret', source.secretRef];
    const target = lookup(kind, reference?.name);
    if (checks.expect(target || reference?.optional, `${where}: envFrom names ${kind} ${reference?.name}, which does not exist`) && target) {
      for (const [key, value] of Object.entries({ ...target.data, ...target.stringData })) {
        variables.set(`${source.prefix ?? ''}${key}`, { from: kind, value });
      }
    }
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    const keyRef = from?.secretKeyRef ? ['Secret', from.secretKeyRef] : from?.configMapKeyRef ? ['ConfigMap', from.configMapKeyRef] : null;
    if (keyRef) {
      const [kind, reference] = keyRef;
      const target = lookup(kind, reference.name);
      const value = target?.stringData?.[reference.key] ?? target?.data?.[reference.key];
      checks.expect(target || reference.optional, `${where}: ${variable.name} refers to ${kind} ${reference.name}, which does not exist`);
      checks.expect(!target || value !== undefined || reference.optional, `${where}: ${variable.name} refers to key '${reference.key}' of ${kind} ${reference.name}, which has no such key`);
      variables.set(variable.name, { from: kind, value: kind === 'ConfigMap' ? value : undefined });
    } else if (from?.fieldRef) {
      variables.set(variable.name, { from: 'field', fieldPath: from.fieldRef.fieldPath });
    } else {
      variables.set(variable.name, { from: from ? 'other' : 'value', value: variable.value });
    }
  }
  return variables;
}

function checkWorkload(checks, workload, lookup) {
  const pod = workload.spec.template;
  const where = describe(workload);
  checks.expect(selects(workload.spec.selector?.matchLabels, pod.metadata?.labels), `${where}: spec.selector does not match the pod template's labels`);
  const accountName = pod.spec?.serviceAccountName;
  checks.expect(!accountName || lookup('ServiceAccount', accountName), `${where}: serviceAccountName ${accountName} has no ServiceAccount`);
  const volumes = new Set([...(pod.spec?.volumes ?? []), ...(workload.spec.volumeClaimTemplates ?? []).map(t => t.metadata)].map(v => v?.name));
  for (const volume of pod.spec?.volumes ?? []) {
    const secret = volume.secret;
    if (secret) {
      checks.expect(secret.optional || lookup('Secret', secret.secretName), `${where}: volume ${volume.name} mounts Secret ${secret.secretName}, which does not exist`);
    }
  }
  for (const container of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    const at = `${where} container ${container.name}`;
    const isSilo = workload.kind === 'Deployment' && workload.metadata.name === SILO_DEPLOYMENT && container.name === SILO_CONTAINER;
    const variables = environment(checks, at, container, lookup);
    checkEnvironmentNames(checks, at, [...variables.keys()], { silo: isSilo, image: container.image });
    checkProbes(checks, at, container);
    checkResources(checks, at, container.resources);
    for (const mount of container.volumeMounts ?? []) {
      checks.expect(volumes.has(mount.name), `${at}: volumeMount ${mount.name} names no volume`);
    }
  }
}

/** Every HTTP or TCP probe targets a port the container declares (by name or number). */
function checkProbes(checks, where, container) {
  const ports = container.ports ?? [];
  for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
    const probe = container[kind];
    const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
    if (port !== undefined) {
      checks.expect(ports.some(p => p.name === port || p.containerPort === port), `${where}: the ${kind} uses port ${port}, which the container does not declare`);
    }
  }
}

/** Memory requested and limited (request ≤ limit), CPU requested and never limited (no CFS throttling). */
function checkResources(checks, where, resources) {
  const limits = resources?.limits ?? {};
  const requests = resources?.requests ?? {};
  checks.expect(limits.cpu === undefined, `${where}: has a CPU limit (${limits.cpu}); request CPU only, a limit throttles the silo`);
  checks.expect(requests.cpu !== undefined, `${where}: requests no CPU`);
  if (checks.expect(limits.memory !== undefined, `${where}: has no memory limit`)) {
    checks.expect(!Number.isNaN(quantity(limits.memory)), `${where}: memory limit ${limits.memory} is not a quantity`);
    checks.expect(requests.memory !== undefined && quantity(requests.memory) <= quantity(limits.memory),
      `${where}: memory request ${requests.memory} must be set and at most the limit ${limits.memory}`);
  }
}

function checkSilo(checks, deployment, lookup) {
  const where = `${describe(deployment)} container ${SILO_CONTAINER}`;
  const pod = deployment.spec.template;
  const container = pod.spec?.containers?.find(c => c.name === SILO_CONTAINER);
  if (!checks.expect(container, `${describe(deployment)}: no container named ${SILO_CONTAINER}`)) {
    return;
  }
  const variables = environment(new Checks('ignored'), where, container, lookup);
  const value = name => variables.get(name)?.value ?? SILO_DEFAULTS[name];

  for (const name of SILO_REQUIRED) {
    checks.expect(variables.has(name), `${where}: ${name} is not set`);
  }
  checks.expect(value('Cluster__Mode') === 'durable', `${where}: Cluster__Mode must be durable, is ${value('Cluster__Mode')}`);
  // One connection string per ledger partition (Ledger__Partitions), none left over; a Secret's value stands as set.
  const given = Object.fromEntries([...variables].map(([name, v]) => [name, v.value ?? `(from ${v.from})`]));
  for (const problem of ledgerPartitions(given).problems) {
    checks.fail(`${where}: ${problem}`);
  }
  for (const [name, setting] of Object.entries(SILO_ENVIRONMENT)) {
    if (setting.secret && variables.has(name)) {
      checks.expect(variables.get(name).from === 'Secret', `${where}: ${name} is a secret and must come from a Secret (secretKeyRef), not ${variables.get(name).from}`);
    }
  }
  const advertised = variables.get('Orleans__AdvertisedIP');
  checks.expect(advertised?.fieldPath === 'status.podIP', `${where}: Orleans__AdvertisedIP must come from fieldRef status.podIP`);

  for (const [portName, { port, setting }] of Object.entries(SILO_PORTS)) {
    checks.expect(container.ports?.some(p => p.name === portName && p.containerPort === port), `${where}: no container port ${portName} = ${port}`);
    checks.expect(value(setting) === undefined || Number(value(setting)) === port, `${where}: ${setting} is ${value(setting)}, but the ${portName} port is ${port}`);
  }
  const probes = { startupProbe: READINESS_PATH, readinessProbe: READINESS_PATH, livenessProbe: LIVENESS_PATH };
  for (const [kind, expected] of Object.entries(probes)) {
    const get = container[kind]?.httpGet;
    checks.expect(get?.path === expected && get?.port === 'http', `${where}: the ${kind} must GET ${expected} on port http, is ${JSON.stringify(get ?? null)}`);
  }

  const labels = pod.metadata?.labels ?? {};
  checks.expect(labels['orleans/serviceId'] === value('Orleans__ServiceId'), `${where}: pod label orleans/serviceId ${labels['orleans/serviceId']} differs from Orleans__ServiceId ${value('Orleans__ServiceId')}`);
  checks.expect(labels['orleans/clusterId'] === value('Orleans__ClusterId'), `${where}: pod label orleans/clusterId ${labels['orleans/clusterId']} differs from Orleans__ClusterId ${value('Orleans__ClusterId')}`);
  // The kubelet restarts a silo whose startup probe runs out, so it must outlast the silo's wait for PostgreSQL.
  const startup = container.startupProbe ?? {};
  const budget = (startup.initialDelaySeconds ?? 0) + (startup.periodSeconds ?? 10) * (startup.failureThreshold ?? 3);
  checks.expect(budget > Number(value('Ledger__StartupTimeoutSeconds')),
    `${where}: the startupProbe gives up after ${budget} s, before the silo stops waiting for PostgreSQL (Ledger__StartupTimeoutSeconds ${value('Ledger__StartupTimeoutSeconds')})`);
  const grace = pod.spec?.terminationGracePeriodSeconds ?? 30;
  const shutdown = Number(value('Cluster__ShutdownTimeoutSeconds'));
  checks.expect(grace > shutdown, `${where}: terminationGracePeriodSeconds ${grace} must exceed Cluster__ShutdownTimeoutSeconds ${shutdown}`);
}

/**
 * The silo pods' cluster ports (silo, gateway) are closed to strangers: some NetworkPolicy selects the silo pods for
 * Ingress, every rule of those policies that admits a cluster port names its peers by pod labels in the namespace
 * (no empty `from`, no namespaceSelector, no ipBlock, no empty podSelector), and the silos admit each other on the
 * silo port. Policies add up, so one open rule anywhere opens the port.
 */
function checkNetworkPolicies(checks, policies, silo) {
  const podLabels = silo.spec.template.metadata?.labels;
  const container = silo.spec.template.spec?.containers?.find(c => c.name === SILO_CONTAINER);
  const declared = container?.ports ?? [];
  const numberOf = port => typeof port === 'number' ? port : declared.find(p => p.name === port)?.containerPort;
  const selecting = policies.filter(p => selects(p.spec?.podSelector?.matchLabels, podLabels)
    && (p.spec?.policyTypes ?? ['Ingress']).includes('Ingress'));
  if (!checks.expect(selecting.length > 0, `no NetworkPolicy selects the pods of ${SILO_DEPLOYMENT} for Ingress: their silo and gateway ports are open to every pod`)) {
    return;
  }
  for (const portName of ['silo', 'gateway']) {
    const port = SILO_PORTS[portName].port;
    const admitting = selecting.flatMap(p => (p.spec?.ingress ?? []).map(rule => ({ policy: p, rule })))
      .filter(({ rule }) => !rule.ports?.length || rule.ports.some(p => p.port === undefined || numberOf(p.port) === port));
    for (const { policy, rule } of admitting) {
      const where = `${describe(policy)}`;
      const peers = rule.from ?? [];
      checks.expect(peers.length > 0, `${where}: a rule admits the ${portName} port (${port}) from anywhere`);
      for (const peer of peers) {
        checks.expect(!peer.ipBlock && !peer.namespaceSelector && Object.keys(peer.podSelector?.matchLabels ?? {}).length > 0,
          `${where}: a rule admits the ${portName} port (${port}) from ${JSON.stringify(peer)}; name the peers by pod labels in this namespace`);
      }
    }
    if (portName === 'silo') {
      checks.expect(admitting.some(({ rule }) => (rule.from ?? []).some(peer => selects(peer.podSelector?.matchLabels, podLabels))),
        `no NetworkPolicy admits the silo port (${port}) from the silo pods: the silos could not reach each other`);
    }
  }
}

/** A Service selects the pods of some workload and targets ports their containers declare. */
function checkService(checks, service, workloads) {
  const where = describe(service);
  if (service.spec?.type === 'ExternalName') {
    return;
  }
  const targets = workloads.filter(w => selects(service.spec?.selector, w.spec.template.metadata?.labels));
  if (!checks.expect(targets.length > 0, `${where}: its selector ${JSON.stringify(service.spec?.selector)} selects no workload's pods`)) {
    return;
  }
  const declared = targets.flatMap(w => w.spec.template.spec?.containers ?? []).flatMap(c => c.ports ?? []);
  for (const port of service.spec?.ports ?? []) {
    const target = port.targetPort ?? port.port;
    checks.expect(declared.some(p => p.name === target || p.containerPort === target), `${where}: port ${port.name ?? port.port} targets ${target}, which the selected pods do not declare`);
  }
}
