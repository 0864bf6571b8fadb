// Self-test of the deploy validator: the committed deploy/ files pass, and deliberately broken copies of them
// fail with the message that names the problem. Needs kubectl and docker-compose (to render the fixtures) and
// promtool; their paths may be given in KUBECTL, DOCKER_COMPOSE and PROMTOOL.
//
//   node --test tests/deploy/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { checkCompose } from './compose.mjs';
import { checkDockerfile } from './dockerfile.mjs';
import { checkKubernetes } from './kubernetes.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function render(tool, args) {
  const run = spawnSync(tool, args, { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(run.status, 0, `${tool} ${args.join(' ')}: ${run.stderr}${run.error ?? ''}`);
  return run.stdout;
}

const dev = yaml.loadAll(render(process.env.KUBECTL ?? 'kubectl', ['kustomize', 'deploy/k8s/overlays/dev']));
const production = yaml.loadAll(render(process.env.KUBECTL ?? 'kubectl', ['kustomize', 'deploy/k8s/overlays/production']));
const baseSecret = yaml.loadAll(readFileSync(path.join(repoRoot, 'deploy/k8s/base/secret.yaml'), 'utf8'));
// Both overlays leave the cluster's TLS Secret to the operator (make-certs.sh in development, the PKI in production).
const clusterTls = yaml.loadAll(readFileSync(path.join(repoRoot, 'deploy/k8s/base/secret-cluster-tls.yaml'), 'utf8'));
const compose = yaml.load(render(process.env.DOCKER_COMPOSE ?? 'docker-compose', ['-f', 'deploy/compose/compose.yaml', 'config']));
const dockerfile = readFileSync(path.join(repoRoot, 'deploy/Dockerfile'), 'utf8');
const ignoreText = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8');
const promtool = process.env.PROMTOOL ?? 'promtool';

const find = (docs, kind, name) => docs.find(d => d.kind === kind && d.metadata.name === name);
const siloPod = docs => find(docs, 'Deployment', 'margingrid-silo').spec.template;
const silo = docs => siloPod(docs).spec.containers.find(c => c.name === 'silo');
const envVar = (docs, name) => silo(docs).env.find(e => e.name === name);

/** Checks a copy of `input` changed by `mutate` (in place, or returning the changed value); expects a problem matching `expected`. */
function rejects(check, input, mutate, expected) {
  const copy = structuredClone(input);
  const { problems } = check(mutate(copy) ?? copy);
  assert.ok(problems.some(p => expected.test(p)), `expected a problem matching ${expected}, got:\n${problems.join('\n') || '(none)'}`);
}

const kubernetes = docs => checkKubernetes(docs, { provided: clusterTls });
const policy = docs => find(docs, 'NetworkPolicy', 'margingrid-silo');
const composeChecks = config => checkCompose(config, { repoRoot });
const dockerfileChecks = ([text, ignore]) => checkDockerfile(text, { repoRoot, ignoreText: ignore });

test('the committed files pass', () => {
  assert.deepEqual(checkKubernetes(dev, { provided: clusterTls }).problems, []);
  assert.deepEqual(checkKubernetes(production, { provided: [...baseSecret, ...clusterTls] }).problems, []);
  assert.deepEqual(checkCompose(compose, { repoRoot, promtool }).problems, []);
  assert.deepEqual(checkDockerfile(dockerfile, { repoRoot, ignoreText }).problems, []);
});

const kubernetesCases = {
  'a CPU limit': [d => { silo(d).resources.limits.cpu = '2'; }, /has a CPU limit/],
  'no memory limit': [d => { delete silo(d).resources.limits.memory; }, /has no memory limit/],
  'a memory request above the limit': [d => { silo(d).resources.requests.memory = '4Gi'; }, /at most the limit/],
  'a probe on an undeclared port': [d => { silo(d).readinessProbe.httpGet.port = 9999; }, /readinessProbe uses port 9999, which the container does not declare/],
  'liveness on /readyz': [d => { silo(d).livenessProbe.httpGet.path = '/readyz'; }, /livenessProbe must GET \/healthz/],
  'a misspelled environment variable': [d => { envVar(d, 'Orleans__AdvertisedIP').name = 'Orleans__AdvertisedIp'; }, /Orleans__AdvertisedIp is not in the silo's configuration contract/],
  'a misspelled ConfigMap key': [d => {
    const config = d.find(o => o.kind === 'ConfigMap' && o.metadata.name.startsWith('margingrid-config'));
    config.data.Cluster_Mode = config.data.Cluster__Mode;
  }, /Cluster_Mode is not in the silo's configuration contract/],
  'a secretKeyRef to a missing key': [d => { envVar(d, 'ConnectionStrings__Redis').valueFrom.secretKeyRef.key = 'redis'; }, /key 'redis' of Secret margingrid-secrets, which has no such key/],
  'a secret as a plain value': [d => { envVar(d, 'ConnectionStrings__Redis').valueFrom = undefined; envVar(d, 'ConnectionStrings__Redis').value = 'redis:6379'; }, /ConnectionStrings__Redis is a secret and must come from a Secret/],
  'the advertised address from a value': [d => { envVar(d, 'Orleans__AdvertisedIP').valueFrom = { fieldRef: { fieldPath: 'status.hostIP' } }; }, /Orleans__AdvertisedIP must come from fieldRef status.podIP/],
  'a grace period shorter than the shutdown timeout': [d => { siloPod(d).spec.terminationGracePeriodSeconds = 30; }, /terminationGracePeriodSeconds 30 must exceed Cluster__ShutdownTimeoutSeconds 45/],
  'a startup probe shorter than the wait for PostgreSQL': [d => { silo(d).startupProbe.failureThreshold = 12; }, /startupProbe gives up after 60 s, before the silo stops waiting for PostgreSQL/],
  'an embedded silo': [d => {
    d.find(o => o.kind === 'ConfigMap' && o.metadata.name.startsWith('margingrid-config')).data.Cluster__Mode = 'embedded';
  }, /Cluster__Mode must be durable/],
  'a cluster label that differs from Orleans__ClusterId': [d => { siloPod(d).metadata.labels['orleans/clusterId'] = 'other'; }, /orleans\/clusterId other differs/],
  'an unknown field': [d => { silo(d).readinesProbe = silo(d).readinessProbe; }, /must NOT have additional properties 'readinesProbe'/],
  'a field of the wrong type': [d => { find(d, 'Deployment', 'margingrid-silo').spec.replicas = 'three'; }, /\/spec\/replicas must be number/],
  'a budget that selects nothing': [d => { find(d, 'PodDisruptionBudget', 'margingrid-silo').spec.selector.matchLabels = { app: 'other' }; }, /selects no pods of any workload/],
  'a Service port to an undeclared container port': [d => { find(d, 'Service', 'margingrid-gateway').spec.ports[0].targetPort = 'gw'; }, /targets gw, which the selected pods do not declare/],
  'a Service that selects nothing': [d => { find(d, 'Service', 'margingrid-http').spec.selector = { app: 'other' }; }, /selects no workload's pods/],
  'a missing Secret': [d => { d.splice(d.indexOf(find(d, 'Secret', 'margingrid-secrets')), 1); }, /refers to Secret margingrid-secrets, which does not exist/],
  'no NetworkPolicy': [d => { d.splice(d.indexOf(policy(d)), 1); }, /no NetworkPolicy selects the pods of margingrid-silo for Ingress/],
  'a gateway open to every pod': [d => { policy(d).spec.ingress.push({ ports: [{ port: 'gateway' }] }); }, /a rule admits the gateway port \(30000\) from anywhere/],
  'a silo port open to other namespaces': [d => { policy(d).spec.ingress.push({ from: [{ namespaceSelector: {} }], ports: [{ port: 11111 }] }); }, /admits the silo port \(11111\) from \{"namespaceSelector":\{\}\}/],
  'a policy that shuts the silos out of each other': [d => { policy(d).spec.ingress[0].from[0].podSelector.matchLabels = { app: 'other' }; }, /no NetworkPolicy admits the silo port \(11111\) from the silo pods/],
  'a policy that selects other pods': [d => { policy(d).spec.podSelector.matchLabels = { app: 'other' }; }, /no NetworkPolicy selects the pods of margingrid-silo/],
  'an unknown kind': [d => { d.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray' } }); }, /v1 Pod is not a kind the schema knows/],
  'a ledger partition without its database': [d => { silo(d).env = silo(d).env.filter(e => e.name !== 'ConnectionStrings__Ledger1'); }, /ConnectionStrings__Ledger1 is not set, but Ledger__Partitions is 2/],
  'a surplus ledger database': [d => {
    silo(d).env.push({ name: 'ConnectionStrings__Ledger2', valueFrom: { secretKeyRef: { name: 'margingrid-secrets', key: 'ledger1-connection-string' } } });
  }, /ConnectionStrings__Ledger2 is set, but Ledger__Partitions is 2/],
};
for (const [name, [mutate, expected]] of Object.entries(kubernetesCases)) {
  test(`kubernetes: rejects ${name}`, () => rejects(kubernetes, dev, mutate, expected));
}

test('kubernetes: production without the operator\'s Secret fails', () => {
  assert.ok(checkKubernetes(production, { provided: clusterTls }).problems.some(p => /refers to Secret margingrid-secrets, which does not exist/.test(p)));
});

test('kubernetes: a silo without its cluster TLS Secret fails', () => {
  assert.ok(checkKubernetes(dev).problems.some(p => /volume cluster-tls mounts Secret margingrid-cluster-tls, which does not exist/.test(p)));
});

const composeCases = {
  'a misspelled environment variable': [c => { c.services.silo2.environment.Orleans__Clusterid = 'x'; }, /service silo2: Orleans__Clusterid is not in the silo's configuration contract/],
  'an unknown variable on a third-party image': [c => { c.services.postgres.environment.POSTGRES_PASS = 'x'; }, /POSTGRES_PASS is not a variable the postgres image/],
  'a host port published twice': [c => { c.services.silo3.ports[0] = '127.0.0.1:8082:8080/tcp'; }, /host port 127.0.0.1:8082 is already published by silo2/],
  'an embedded silo': [c => { c.services.silo1.environment.Cluster__Mode = 'embedded'; }, /service silo1: Cluster__Mode must be durable/],
  'a silo without cluster TLS': [c => { delete c.services.silo2.environment.Orleans__Tls__CaPath; }, /service silo2: Orleans__Tls__CaPath is not set/],
  'Redis without the append-only file': [c => { c.services.redis.command = ['redis-server']; }, /must run with --appendonly yes/],
  'a ledger password that PostgreSQL does not have': [c => {
    c.services.silo1.environment.ConnectionStrings__Ledger = c.services.silo1.environment.ConnectionStrings__Ledger.replace(/Password=[^;]*/, 'Password=wrong');
  }, /password differs from postgres's POSTGRES_PASSWORD/],
  'a ledger partition without its database': [c => { delete c.services.silo2.environment.ConnectionStrings__Ledger1; }, /service silo2: ConnectionStrings__Ledger1 is not set, but Ledger__Partitions is 2/],
  'two ledger partitions in one database': [c => {
    c.services.silo1.environment.ConnectionStrings__Ledger1 = c.services.silo1.environment.ConnectionStrings__Ledger;
  }, /service silo1: ConnectionStrings__Ledger1 names the same database \(postgres\/margingrid\) as ConnectionStrings__Ledger/],
  'a silo that does not wait for the second ledger server': [c => { delete c.services.silo3.depends_on['postgres-ledger1']; }, /service silo3: must depend on postgres-ledger1 with condition service_healthy/],
  'a silo that does not wait for a healthy Redis': [c => { c.services.silo2.depends_on.redis.condition = 'service_started'; }, /must depend on redis with condition service_healthy/],
  'a short stop grace period': [c => { c.services.silo1.stop_grace_period = '30s'; }, /stop_grace_period 30s must exceed Cluster__ShutdownTimeoutSeconds 45/],
  'a healthcheck that ignores /readyz': [c => { c.services.silo1.healthcheck.test = ['CMD', 'true']; }, /the healthcheck must ask \/readyz/],
  'a silo Prometheus does not scrape': [c => { c.services.silo4 = structuredClone(c.services.silo3); c.services.silo4.ports = []; }, /job margingrid scrapes silo1:8080, silo2:8080, silo3:8080, expected the silos .*silo4:8080/],
  'rules that are not mounted': [c => { c.services.prometheus.volumes = c.services.prometheus.volumes.filter(v => !String(v).includes('/rules')); }, /deploy\/prometheus\/rules\/alerts.yml is not loaded/],
  'Grafana without the Prometheus URL': [c => { delete c.services.grafana.environment.MARGINGRID_PROMETHEUS_URL; }, /datasources.yaml reads \$\{MARGINGRID_PROMETHEUS_URL\}/],
  'dashboards mounted where the provider does not look': [c => {
    c.services.grafana.volumes = c.services.grafana.volumes.map(v => String(v).replace(':/var/lib/grafana/dashboards/margingrid:', ':/dashboards:'));
  }, /reads \/var\/lib\/grafana\/dashboards\/margingrid, where no dashboard is mounted/],
  'a mount of a missing file': [c => { c.services.prometheus.volumes[0] = `${repoRoot}/deploy/compose/missing.yml:/etc/prometheus/prometheus.yml:ro`; }, /missing.yml, which does not exist/],
};
for (const [name, [mutate, expected]] of Object.entries(composeCases)) {
  test(`compose: rejects ${name}`, () => rejects(composeChecks, compose, mutate, expected));
}

test('compose: promtool rejects a broken Prometheus configuration', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'margingrid-broken-prometheus-'));
  try {
    const broken = path.join(scratch, 'prometheus.yml');
    writeFileSync(broken, readFileSync(path.join(repoRoot, 'deploy/compose/prometheus.yml'), 'utf8').replace('scrape_interval: 15s', 'scrape_interval: soon'));
    rejects(c => checkCompose(c, { repoRoot, promtool }), compose, c => { c.services.prometheus.volumes[0] = `${broken}:/etc/prometheus/prometheus.yml:ro`; }, /promtool check config failed/);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

const dockerfileCases = {
  'a project missing from the restore layer': [([t, i]) => [t.replace(/^COPY src\/MarginGrid.Domain\/.*$/m, ''), i], /src\/MarginGrid.Domain\/MarginGrid.Domain.csproj is not copied to src\/MarginGrid.Domain\/ before dotnet restore/],
  'a root user': [([t, i]) => [t.replace('USER $APP_UID', 'USER root'), i], /must run as a non-root USER/],
  'an unknown instruction': [([t, i]) => [t.replace('WORKDIR /src', 'WORKDIRR /src'), i], /Unknown instruction: WORKDIRR/],
  'a shell-form entrypoint': [([t, i]) => [t.replace('ENTRYPOINT ["dotnet", "MarginGrid.Silo.dll"]', 'ENTRYPOINT dotnet MarginGrid.Silo.dll'), i], /exec form/],
  'another .NET version': [([t, i]) => [t.replace('aspnet:10.0', 'aspnet:9.0'), i], /runtime stage must be FROM mcr.microsoft.com\/dotnet\/aspnet:10.0/],
  'a missing port': [([t, i]) => [t.replace('EXPOSE 8080 11111 30000', 'EXPOSE 8080'), i], /does not EXPOSE 30000/],
  'a misspelled ENV': [([t, i]) => [t.replace('ENV ASPNETCORE_HTTP_PORTS=8080', 'ENV ASPNETCORE_HTTP_PORT=8080'), i], /ASPNETCORE_HTTP_PORT is not in the silo's configuration contract/],
  'sources left out of the context': [([t, i]) => [t, `${i}\nsrc/\n`], /COPY src\/: left out of the build context by .dockerignore/],
  'host build output in the context': [([t, i]) => [t, i.replace('**/bin/', '')], /.dockerignore does not leave out src\/MarginGrid.Silo\/bin/],
};
for (const [name, [mutate, expected]] of Object.entries(dockerfileCases)) {
  test(`Dockerfile: rejects ${name}`, () => rejects(dockerfileChecks, [dockerfile, ignoreText], mutate, expected));
}
