// Checks of the compose stack, on the output of `docker-compose config` (variables substituted, paths absolute):
// the silos against the contract, their connection strings against the PostgreSQL and Redis services, and what
// Prometheus and Grafana will read through their bind mounts against the project's own files.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { Checks, checkEnvironmentNames, durationSeconds, imageRepository } from './checks.mjs';
import { READINESS_PATH, SILO_DEFAULTS, SILO_PORTS, SILO_REQUIRED, ledgerPartitions } from './contract.mjs';

/** The service's environment as a name → value map (compose accepts a map or a list of NAME=value). */
function environment(service) {
  const env = service.environment ?? {};
  return Array.isArray(env)
    ? Object.fromEntries(env.map(e => [e.split('=')[0], e.includes('=') ? e.slice(e.indexOf('=') + 1) : undefined]))
    : env;
}

/** Published ports as { hostIp, published, target } (compose v1 prints strings, v2 objects). */
function ports(service) {
  return (service.ports ?? []).map(p => {
    if (typeof p === 'object') {
      return { hostIp: p.host_ip ?? '', published: Number(p.published), target: Number(p.target) };
    }
    const parts = String(p).replace(/\/(tcp|udp)$/, '').split(':');
    const target = Number(parts.pop());
    const published = Number(parts.pop());
    return { hostIp: parts.pop() ?? '', published, target };
  });
}

/** Volumes as { source, target, bind } (bind: a host path, not a named volume). */
function mounts(service) {
  return (service.volumes ?? []).map(v => {
    if (typeof v === 'object') {
      return { source: v.source, target: v.target, bind: v.type === 'bind' };
    }
    const [source, target] = String(v).split(':');
    return target === undefined ? { source: undefined, target: source, bind: false } : { source, target, bind: path.isAbsolute(source) };
  });
}

/** The host path a container path is read from, through the service's bind mounts (longest match), or null. */
function hostPath(service, containerPath) {
  const candidates = mounts(service)
    .filter(m => m.bind && (containerPath === m.target || containerPath.startsWith(`${m.target.replace(/\/$/, '')}/`)))
    .sort((a, b) => b.target.length - a.target.length);
  return candidates.length === 0 ? null : path.join(candidates[0].source, path.relative(candidates[0].target, containerPath));
}

/** The files a glob such as `rules/*.yml` (only the last segment may hold wildcards) names in a folder. */
function globFiles(folder, pattern) {
  const expression = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  return existsSync(folder) && statSync(folder).isDirectory()
    ? readdirSync(folder).filter(f => expression.test(f)).map(f => path.join(folder, f))
    : [];
}

const words = value => (Array.isArray(value) ? value.map(String) : String(value ?? '').split(/\s+/)).filter(w => w.length > 0);

/**
 * Checks a compose configuration. `repoRoot`: the checkout (the silos' build context, the project's rules and
 * dashboards); `promtool`: when given, Prometheus's configuration is checked by promtool as the container sees it.
 */
export function checkCompose(config, { artifact = 'compose', repoRoot, promtool } = {}) {
  const checks = new Checks(artifact);
  const services = config?.services ?? {};
  const byImage = repository => Object.entries(services).filter(([, s]) => s.image && imageRepository(s.image) === repository);
  const silos = Object.entries(services).filter(([, s]) => s.build);
  checks.expect(silos.length > 0, 'no silo service (a service built from deploy/Dockerfile)');

  for (const [name, service] of Object.entries(services)) {
    const silo = Boolean(service.build);
    checkEnvironmentNames(checks, `service ${name}`, Object.keys(environment(service)), { silo, image: service.image });
    for (const mount of mounts(service).filter(m => m.bind)) {
      checks.expect(existsSync(mount.source), `service ${name}: mounts ${mount.source}, which does not exist`);
    }
    if (silo) {
      checkSilo(checks, name, service, services, repoRoot);
    }
  }
  checkPublishedPorts(checks, services);
  checkDataServices(checks, byImage);
  const [prometheus] = byImage('prom/prometheus');
  if (checks.expect(prometheus, 'no prom/prometheus service')) {
    checkPrometheus(checks, prometheus, silos, repoRoot, promtool);
  }
  const [grafana] = byImage('grafana/grafana');
  if (checks.expect(grafana, 'no grafana/grafana service')) {
    checkGrafana(checks, grafana, prometheus, repoRoot);
  }
  checks.summary = {
    services: Object.fromEntries(Object.entries(services).map(([name, s]) => [name, {
      silo: Boolean(s.build), image: s.image ?? null, ports: ports(s), mode: environment(s).Cluster__Mode ?? null,
    }])),
  };
  return checks;
}

function checkSilo(checks, name, service, services, repoRoot) {
  const where = `service ${name}`;
  const env = environment(service);
  const value = setting => env[setting] ?? SILO_DEFAULTS[setting];
  for (const setting of SILO_REQUIRED) {
    checks.expect(env[setting] !== undefined && env[setting] !== '', `${where}: ${setting} is not set`);
  }
  checks.expect(env.Cluster__Mode === 'durable', `${where}: Cluster__Mode must be durable, is ${env.Cluster__Mode}`);
  checks.expect(env.Orleans__AdvertisedIP === undefined, `${where}: leave Orleans__AdvertisedIP unset in compose (the silo resolves its own address)`);
  for (const { port, setting } of Object.values(SILO_PORTS)) {
    checks.expect(env[setting] === undefined || Number(env[setting]) === port, `${where}: ${setting} is ${env[setting]}, expected ${port}`);
  }
  const build = typeof service.build === 'object' ? service.build : { context: service.build };
  checks.expect(repoRoot === undefined || path.resolve(build.context) === path.resolve(repoRoot), `${where}: build context ${build.context} is not the repository root`);
  checks.expect(repoRoot === undefined || existsSync(path.resolve(build.context, build.dockerfile ?? 'Dockerfile')), `${where}: the Dockerfile ${build.dockerfile} does not exist`);

  const published = ports(service).map(p => p.target);
  for (const portName of ['http', 'gateway']) {
    checks.expect(published.includes(SILO_PORTS[portName].port), `${where}: container port ${SILO_PORTS[portName].port} (${portName}) is not published`);
  }
  const test = words(service.healthcheck?.test).join(' ');
  checks.expect(test.includes(READINESS_PATH) && test.includes(String(SILO_PORTS.http.port)), `${where}: the healthcheck must ask ${READINESS_PATH} on port ${SILO_PORTS.http.port}`);
  const grace = durationSeconds(service.stop_grace_period ?? '10s');
  checks.expect(grace > Number(value('Cluster__ShutdownTimeoutSeconds')), `${where}: stop_grace_period ${service.stop_grace_period ?? '10s (default)'} must exceed Cluster__ShutdownTimeoutSeconds ${value('Cluster__ShutdownTimeoutSeconds')}`);

  const dependsOn = Array.isArray(service.depends_on) ? Object.fromEntries(service.depends_on.map(d => [d, {}])) : service.depends_on ?? {};
  // Every ledger partition's connection string names a postgres service of this stack, each its own database.
  const partitions = ledgerPartitions(env);
  for (const problem of partitions.problems) {
    checks.fail(`${where}: ${problem}`);
  }
  const ledgerHosts = [];
  const databases = new Map();
  for (const setting of partitions.names.filter(n => env[n])) {
    const ledger = Object.fromEntries(String(env[setting]).split(';').filter(p => p.includes('='))
      .map(p => [p.slice(0, p.indexOf('=')).trim().toLowerCase(), p.slice(p.indexOf('=') + 1).trim()]));
    ledgerHosts.push(ledger.host);
    const postgres = services[ledger.host];
    if (checks.expect(postgres && imageRepository(postgres.image) === 'postgres', `${where}: ${setting} names host ${ledger.host}, which is no postgres service`)) {
      const pgEnv = environment(postgres);
      checks.expect(Number(ledger.port ?? 5432) === 5432, `${where}: ${setting} port ${ledger.port} is not PostgreSQL's 5432`);
      checks.expect(ledger.database === (pgEnv.POSTGRES_DB ?? pgEnv.POSTGRES_USER ?? 'postgres'), `${where}: ${setting} database ${ledger.database} is not the one ${ledger.host} creates`);
      checks.expect((ledger.username ?? ledger['user id']) === (pgEnv.POSTGRES_USER ?? 'postgres'), `${where}: ${setting} user differs from ${ledger.host}'s POSTGRES_USER`);
      checks.expect(ledger.password === pgEnv.POSTGRES_PASSWORD, `${where}: ${setting} password differs from ${ledger.host}'s POSTGRES_PASSWORD`);
    }
    const database = `${ledger.host}/${ledger.database}`;
    checks.expect(!databases.has(database), `${where}: ${setting} names the same database (${database}) as ${databases.get(database)}; each ledger partition needs its own`);
    databases.set(database, setting);
  }
  const [redisHost, redisPort] = String(env.ConnectionStrings__Redis ?? '').split(',')[0].split(':');
  const redis = services[redisHost];
  checks.expect(redis && imageRepository(redis.image) === 'redis' && Number(redisPort ?? 6379) === 6379, `${where}: ConnectionStrings__Redis names ${env.ConnectionStrings__Redis}, which is no redis service on 6379`);
  for (const dependency of [...new Set([...ledgerHosts, redisHost])]) {
    checks.expect(dependsOn[dependency]?.condition === 'service_healthy', `${where}: must depend on ${dependency} with condition service_healthy`);
    checks.expect(services[dependency]?.healthcheck?.test, `${where}: depends on ${dependency} being healthy, but ${dependency} has no healthcheck`);
  }
}

function checkPublishedPorts(checks, services) {
  const seen = new Map();
  for (const [name, service] of Object.entries(services)) {
    for (const port of ports(service)) {
      const key = `${port.hostIp || '0.0.0.0'}:${port.published}`;
      checks.expect(!seen.has(key), `service ${name}: host port ${key} is already published by ${seen.get(key)}`);
      seen.set(key, name);
    }
  }
}

function checkDataServices(checks, byImage) {
  const postgres = byImage('postgres');
  checks.expect(postgres.length > 0, 'no postgres service');
  for (const [name, service] of postgres) {
    checks.expect(words(service.healthcheck?.test).includes('pg_isready'), `service ${name}: the healthcheck must run pg_isready`);
    checks.expect(mounts(service).some(m => m.target === '/var/lib/postgresql/data'), `service ${name}: no volume at /var/lib/postgresql/data`);
  }
  const [redis] = byImage('redis');
  if (checks.expect(redis, 'no redis service')) {
    const [name, service] = redis;
    const command = words(service.command).join(' ');
    checks.expect(/--appendonly yes\b/.test(command), `service ${name}: must run with --appendonly yes (is: ${command || 'the image default'})`);
    checks.expect(mounts(service).some(m => m.target === '/data'), `service ${name}: no volume at /data`);
    checks.expect(words(service.healthcheck?.test).includes('redis-cli'), `service ${name}: the healthcheck must run redis-cli`);
  }
}

function checkPrometheus(checks, [name, service], silos, repoRoot, promtool) {
  const where = `service ${name}`;
  const configFlag = words(service.command).find(w => w.startsWith('--config.file='));
  const configPath = configFlag ? configFlag.slice('--config.file='.length) : '/etc/prometheus/prometheus.yml';
  const configFile = hostPath(service, configPath);
  if (!checks.expect(configFile && existsSync(configFile), `${where}: ${configPath} is not mounted from a file`)) {
    return;
  }
  const config = yaml.load(readFileSync(configFile, 'utf8'));
  const job = config?.scrape_configs?.find(j => j.job_name === 'margingrid');
  const targets = (job?.static_configs ?? []).flatMap(s => s.targets ?? []).sort();
  const expected = silos.map(([silo]) => `${silo}:${SILO_PORTS.http.port}`).sort();
  checks.expect(JSON.stringify(targets) === JSON.stringify(expected), `${where}: job margingrid scrapes ${targets.join(', ') || 'nothing'}, expected the silos ${expected.join(', ')}`);
  checks.expect((job?.metrics_path ?? '/metrics') === '/metrics', `${where}: job margingrid must scrape /metrics`);

  const loaded = (config?.rule_files ?? []).flatMap(glob => {
    const containerGlob = path.posix.resolve(path.posix.dirname(configPath), glob);
    const folder = hostPath(service, path.posix.dirname(containerGlob));
    return folder ? globFiles(folder, path.posix.basename(containerGlob)) : [];
  });
  if (repoRoot) {
    for (const rules of globFiles(path.join(repoRoot, 'deploy', 'prometheus', 'rules'), '*.yml')) {
      checks.expect(loaded.includes(rules), `${where}: ${path.relative(repoRoot, rules)} is not loaded (rule_files ${JSON.stringify(config?.rule_files ?? [])} through the mounts)`);
    }
  }
  if (promtool) {
    // The container's view, rebuilt in a scratch folder from the bind mounts, so that relative rule paths resolve.
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'margingrid-compose-prometheus-'));
    try {
      for (const mount of mounts(service).filter(m => m.bind)) {
        cpSync(mount.source, path.join(scratch, mount.target), { recursive: true });
      }
      const run = spawnSync(promtool, ['check', 'config', path.join(scratch, configPath)], { encoding: 'utf8' });
      checks.expect(run.status === 0, `${where}: promtool check config failed: ${run.stdout}${run.stderr}${run.error ?? ''}`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
}

function checkGrafana(checks, [name, service], prometheus, repoRoot) {
  const where = `service ${name}`;
  const env = environment(service);
  const provisioning = kind => mounts(service)
    .filter(m => m.bind && m.target.startsWith(`/etc/grafana/provisioning/${kind}/`) && existsSync(m.source) && statSync(m.source).isFile())
    .map(m => ({ file: m.source, text: readFileSync(m.source, 'utf8') }));
  const datasources = provisioning('datasources');
  const dashboards = provisioning('dashboards');
  checks.expect(datasources.length > 0, `${where}: no data source provisioning file mounted in /etc/grafana/provisioning/datasources/`);
  checks.expect(dashboards.length > 0, `${where}: no dashboard provisioning file mounted in /etc/grafana/provisioning/dashboards/`);
  if (repoRoot) {
    for (const [kind, mounted] of [['datasources', datasources], ['dashboards', dashboards]]) {
      const project = path.join(repoRoot, 'dashboards', 'provisioning', `${kind}.yaml`);
      checks.expect(mounted.some(m => path.resolve(m.file) === project), `${where}: the project's ${path.relative(repoRoot, project)} is not mounted`);
    }
  }
  for (const { file, text } of [...datasources, ...dashboards]) {
    for (const [, variable] of text.replace(/^\s*#.*$/gm, '').matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)) {
      checks.expect(env[variable], `${where}: ${path.basename(file)} reads \${${variable}}, which the service's environment does not set`);
    }
  }
  const url = env.MARGINGRID_PROMETHEUS_URL ? new URL(env.MARGINGRID_PROMETHEUS_URL) : null;
  checks.expect(url && prometheus && url.hostname === prometheus[0] && Number(url.port) === 9090,
    `${where}: MARGINGRID_PROMETHEUS_URL ${env.MARGINGRID_PROMETHEUS_URL} is not the prometheus service on port 9090`);

  for (const { file, text } of dashboards) {
    for (const provider of (yaml.load(text)?.providers ?? []).filter(p => p.type === 'file')) {
      const folder = hostPath(service, provider.options?.path ?? '');
      const found = folder ? globFiles(folder, '*.json').map(f => path.basename(f)) : [];
      checks.expect(found.length > 0, `${where}: provider ${provider.name} (${path.basename(file)}) reads ${provider.options?.path}, where no dashboard is mounted`);
      if (repoRoot) {
        for (const dashboard of globFiles(path.join(repoRoot, 'dashboards'), '*.json').map(f => path.basename(f))) {
          checks.expect(found.includes(dashboard), `${where}: dashboards/${dashboard} is not under ${provider.options?.path}`);
        }
      }
    }
  }
}
