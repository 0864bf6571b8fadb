// The silo's configuration contract as the deployments must use it: the one list of environment variables the
// validator accepts. A name not listed here (a typo such as `Orleans__AdvertisedIp` or `Cluster_Mode`) fails the
// validation of the Dockerfile, the compose stack and every Kubernetes manifest. When the silo reads a new
// setting, add it here first.

/** Every environment variable a silo container may be given; `secret`: must come from a Secret in Kubernetes. */
export const SILO_ENVIRONMENT = {
  Cluster__Mode: { about: 'embedded (the default: one process, nothing durable) or durable (Redis clustering, PostgreSQL ledger)' },
  Cluster__ShutdownTimeoutSeconds: { about: 'graceful shutdown budget in seconds (default 30); below the platform\'s kill timeout' },
  ConnectionStrings__Ledger: { about: 'Npgsql connection string of the money ledger: its partition 0 (the home database)', secret: true },
  ...Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`ConnectionStrings__Ledger${i + 1}`,
    { about: `the database of ledger partition ${i + 1} (with Ledger__Partitions above ${i + 1})`, secret: true }])),
  Ledger__Partitions: { about: 'how many ledger databases (default 1); fixed once the ledger holds data (docs/operations.md)' },
  ConnectionStrings__Redis: { about: 'StackExchange.Redis configuration: membership, grain state, reminders', secret: true },
  Orleans__ClusterId: { about: 'silos with the same cluster id form one cluster (default margingrid)' },
  Orleans__ServiceId: { about: 'stable across deployments; keys persisted state (default margingrid)' },
  Orleans__SiloPort: { about: 'silo-to-silo port (11111)' },
  Orleans__GatewayPort: { about: 'Orleans client gateway port (30000)' },
  Orleans__AdvertisedIP: { about: 'the address other silos reach this one at: the pod IP in Kubernetes; unset in compose' },
  ASPNETCORE_HTTP_PORTS: { about: 'HTTP API port (8080)' },
  Auth__RequireKeys: { about: 'true: refuse to start without configured keys (a durable silo always does)' },
  Auth__ApiKeys__0__Key: { about: 'the admin API key', secret: true },
  Auth__ApiKeys__0__Role: { about: 'the role of that key (admin)' },
  // Further keys, each of any role: a second key of a role is how keys rotate with overlap (an empty key is ignored).
  Auth__ApiKeys__1__Key: { about: 'the next admin API key while rotating (empty: none)', secret: true },
  Auth__ApiKeys__1__Role: { about: 'the role of that key (admin)' },
  Auth__ApiKeys__2__Key: { about: 'a reader API key (empty: none)', secret: true },
  Auth__ApiKeys__2__Role: { about: 'the role of that key (reader)' },
  Auth__ApiKeys__3__Key: { about: 'the next reader API key while rotating (empty: none)', secret: true },
  Auth__ApiKeys__3__Role: { about: 'the role of that key (reader)' },
  Auth__MetricsToken: { about: 'optional bearer token /metrics then requires (32+ characters)', secret: true },
  Auth__MetricsTokens__0: { about: 'a further /metrics bearer token, accepted beside Auth__MetricsToken while rotating', secret: true },
  Auth__MetricsTokens__1: { about: 'another /metrics bearer token', secret: true },
  Grid__MarkMaxAge: { about: 'oldest mark a money decision may use (hh:mm:ss; default 00:00:00: each market\'s stalePriceSeconds)' },
  Logging__Format: { about: 'text (default: one line per entry, UTC timestamps) or json (one JSON object per line)' },
  Logging__LogLevel__Default: { about: 'minimum log level (default Warning)' },
  OTEL_EXPORTER_OTLP_ENDPOINT: { about: 'OTLP collector: traces and metrics are exported there when set' },
  OTEL_EXPORTER_OTLP_PROTOCOL: { about: 'grpc (default) or http/protobuf' },
  OTEL_EXPORTER_OTLP_HEADERS: { about: 'headers for the collector (e.g. an API key)', secret: true },
  OTEL_RESOURCE_ATTRIBUTES: { about: 'extra resource attributes (e.g. deployment.environment=prod)' },
  Orleans__Tls__CertificatePath: { about: 'this silo\'s certificate for mutual TLS on the silo and gateway ports (PFX, or PEM with KeyPath)' },
  Orleans__Tls__KeyPath: { about: 'the PEM private key of that certificate' },
  Orleans__Tls__CaPath: { about: 'PEM CA certificate(s) every peer (silo, client) must chain to' },
  Orleans__Tls__CertificatePassword: { about: 'password of a PFX certificate', secret: true },
  Orleans__Tls__Disabled: { about: 'true: run the silo and gateway ports without TLS (refused otherwise in durable mode); never in a deployment' },
  Ledger__StartupTimeoutSeconds: { about: 'how long a starting silo waits for PostgreSQL (default 120)' },
  Ledger__CommandTimeoutSeconds: { about: 'how long one ledger command may take (default 5)' },
};

/** The most ledger partitions the contract names (ConnectionStrings__Ledger1..7); the silo itself takes up to 256. */
export const LEDGER_PARTITIONS_MAX = 8;

/**
 * The connection-string settings of a silo's ledger partitions, partition 0 first, from its Ledger__Partitions;
 * and the problems of that configuration (a missing partition, a surplus one, a count out of range).
 */
export function ledgerPartitions(env) {
  const text = env.Ledger__Partitions ?? '1';
  const count = Number(text);
  const problems = [];
  if (!(Number.isInteger(count) && count >= 1 && count <= LEDGER_PARTITIONS_MAX)) {
    return { names: ['ConnectionStrings__Ledger'], problems: [`Ledger__Partitions is ${text}, expected 1..${LEDGER_PARTITIONS_MAX}`] };
  }
  const names = Array.from({ length: count }, (_, i) => (i === 0 ? 'ConnectionStrings__Ledger' : `ConnectionStrings__Ledger${i}`));
  for (const name of names) {
    if (env[name] === undefined || env[name] === '') {
      problems.push(`${name} is not set, but Ledger__Partitions is ${count}`);
    }
  }
  for (let i = count; i < LEDGER_PARTITIONS_MAX; i++) {
    if (env[`ConnectionStrings__Ledger${i}`] !== undefined) {
      problems.push(`ConnectionStrings__Ledger${i} is set, but Ledger__Partitions is ${count} (the silo refuses a surplus ledger database)`);
    }
  }
  return { names, problems };
}

/** Settings every containerised silo must be given (it runs durable, against real PostgreSQL and Redis). */
export const SILO_REQUIRED = [
  'Cluster__Mode', 'ConnectionStrings__Ledger', 'ConnectionStrings__Redis', 'Cluster__ShutdownTimeoutSeconds', 'Auth__ApiKeys__0__Key',
  'Orleans__Tls__CertificatePath', 'Orleans__Tls__CaPath',
];

/** The silo's defaults for the settings the checks compare (used when a deployment leaves them unset). */
export const SILO_DEFAULTS = {
  Cluster__ShutdownTimeoutSeconds: '30',
  Ledger__StartupTimeoutSeconds: '120',
  Orleans__ClusterId: 'margingrid',
  Orleans__ServiceId: 'margingrid',
};

/** The ports the silo listens on, by the names the Kubernetes manifests give them, and the settings naming them. */
export const SILO_PORTS = {
  http: { port: 8080, setting: 'ASPNETCORE_HTTP_PORTS' },
  silo: { port: 11111, setting: 'Orleans__SiloPort' },
  gateway: { port: 30000, setting: 'Orleans__GatewayPort' },
};

/** The anonymous health endpoints: liveness answers while the process runs, readiness once grains and storage do. */
export const LIVENESS_PATH = '/healthz';
export const READINESS_PATH = '/readyz';

/** In Kubernetes: the silo Deployment, its container, and the Services in front of it (name: silo port name). */
export const SILO_DEPLOYMENT = 'margingrid-silo';
export const SILO_CONTAINER = 'silo';
export const SILO_SERVICES = { 'margingrid-http': 'http', 'margingrid-gateway': 'gateway' };

/** The third-party images of the stacks (repository without registry or tag) and the variables each may be given. */
export const IMAGE_ENVIRONMENT = {
  postgres: ['POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD', 'PGDATA'],
  redis: [],
  'prom/prometheus': [],
  'grafana/grafana': ['MARGINGRID_PROMETHEUS_URL', 'GF_SECURITY_ADMIN_USER', 'GF_SECURITY_ADMIN_PASSWORD'],
};
