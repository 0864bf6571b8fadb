// The Kubernetes kinds deploy/k8s may render, from kubernetes-types (generated from the Kubernetes OpenAPI
// spec). generate-schema.mjs turns this interface into schema/kubernetes.schema.json; a kind added to the
// manifests must be added here (and the schema regenerated), or the validator rejects it as unknown.
import type { Deployment, StatefulSet } from 'kubernetes-types/apps/v1';
import type { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-types/core/v1';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';

export interface Kinds {
  ConfigMap: ConfigMap;
  Deployment: Deployment;
  Namespace: Namespace;
  NetworkPolicy: NetworkPolicy;
  PodDisruptionBudget: PodDisruptionBudget;
  Secret: Secret;
  Service: Service;
  ServiceAccount: ServiceAccount;
  StatefulSet: StatefulSet;
}
