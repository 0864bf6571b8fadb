// Helpers shared by the Dockerfile, compose and Kubernetes checks.
import { IMAGE_ENVIRONMENT, SILO_ENVIRONMENT } from './contract.mjs';

/** Collects the outcome of each check of one artifact: how many ran and which failed, with why. */
export class Checks {
  constructor(artifact) {
    this.artifact = artifact;
    this.count = 0;
    this.problems = [];
  }

  /** Records one check; `message` says what is wrong when `condition` is false. */
  expect(condition, message) {
    this.count += 1;
    if (!condition) {
      this.problems.push(message);
    }
    return Boolean(condition);
  }

  fail(message) {
    return this.expect(false, message);
  }
}

/** The repository of an image reference, without registry host, tag or digest: `docker.io/library/redis:7` → `redis`. */
export function imageRepository(image) {
  let name = String(image).split('@')[0];
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) {
    name = name.slice(0, colon);
  }
  const parts = name.split('/');
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0])) {
    parts.shift();
  }
  if (parts[0] === 'library') {
    parts.shift();
  }
  return parts.join('/');
}

/**
 * Checks environment variable names against the contract: the silo's list for a silo, the image's own list
 * for a third-party image (an image with no list is itself a failure: add its variables to contract.mjs).
 */
export function checkEnvironmentNames(checks, where, names, { silo, image }) {
  if (silo) {
    for (const name of names) {
      checks.expect(name in SILO_ENVIRONMENT, `${where}: ${name} is not in the silo's configuration contract (tests/deploy/contract.mjs)`);
    }
    return;
  }
  const allowed = IMAGE_ENVIRONMENT[imageRepository(image)];
  if (!checks.expect(allowed !== undefined, `${where}: image ${image} has no environment contract in tests/deploy/contract.mjs`)) {
    return;
  }
  for (const name of names) {
    checks.expect(allowed.includes(name), `${where}: ${name} is not a variable the ${imageRepository(image)} image is known to read (tests/deploy/contract.mjs)`);
  }
}

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;
const FACTORS = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** A Kubernetes quantity (`512Mi`, `2Gi`, `500m`, `2`) as a number, or NaN when it is not one. */
export function quantity(value) {
  const match = QUANTITY.exec(String(value));
  return match ? Number(match[1]) * (match[2] ? FACTORS[match[2]] : 1) : Number.NaN;
}

/** A compose duration (`60s`, `1m30s`, `1h`) in seconds, or NaN. */
export function durationSeconds(value) {
  const text = String(value);
  const parts = [...text.matchAll(/([0-9]+(?:\.[0-9]+)?)(ms|us|h|m|s)/g)];
  if (parts.length === 0 || parts.map(p => p[0]).join('') !== text) {
    return Number.NaN;
  }
  const unit = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6 };
  return parts.reduce((total, p) => total + Number(p[1]) * unit[p[2]], 0);
}

/** Whether every label of `selector` (matchLabels) is on `labels`; an empty selector selects nothing here. */
export function selects(selector, labels) {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([key, value]) => labels?.[key] === value);
}
