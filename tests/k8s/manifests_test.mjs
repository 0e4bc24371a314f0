// Renders every kustomize overlay in k8s/overlays with `kubectl kustomize`, validates every object
// offline against the Kubernetes and prometheus-operator schemas (npm kubernetes-models,
// @kubernetes-models/prometheus-operator), and checks the suite's deployment invariants:
// hardened pods with probes and limits, ports that exist, network policies that allow exactly the
// calls of the contract DAG, ServiceMonitors that name real Service ports, a dashboard that plots
// metrics the binaries export, flags that the binaries have, and what each overlay promises.
//
// Usage: node tests/k8s/manifests_test.mjs <repo root> [name=binary ...]
//   name=binary: e.g. thb-coordinator=build/dev/services/coordinator/thb-coordinator; each
//   container's THB_* variables are checked against that binary's --helpfull.
// Prints one line per check group and every violation; exits 1 on any violation.

import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

const root = path.resolve(process.argv[2] ?? '.');
const binaries = Object.fromEntries(process.argv.slice(3).map((a) => a.split('=')));

// ---------------------------------------------------------------------------------------------
// The contract, written out: who may call whom on which port (the DAG of protos/), and the
// pillars' gRPC services, ports and drain deadlines as the binaries define them.
const SUITE = {
  'thb-coordinator': { ns: 'thb', grpc: 50051, metrics: 9451, health: 'thb.coordinator.v1.CoordinatorService', database: true },
  'thb-commission': { ns: 'thb', grpc: 50052, metrics: 9452, health: 'thb.commission.v1.CommissionService', database: true },
  'thb-rapporteur': { ns: 'thb-rapporteur', grpc: 50053, metrics: 9453, health: 'thb.rapporteur.v1.RapporteurService', database: true },
  'thb-gateway': { ns: 'thb', http: 8080, metrics: 8080 },
};
const EXPECTED_CALLS = new Set([
  'thb-gateway -> thb-coordinator:50051',
  'thb-gateway -> thb-commission:50052',
  'thb-gateway -> thb-rapporteur:50053',
  'thb-commission -> thb-coordinator:50051',
  'thb-rapporteur -> thb-coordinator:50051',
  'thb-rapporteur -> thb-commission:50052',
  'prometheus -> thb-coordinator:9451',
  'prometheus -> thb-commission:9452',
  'prometheus -> thb-rapporteur:9453',
]);
// The gateway is the public entrance: anyone may reach its HTTP port (Prometheus scrapes it there).
const PUBLIC = 'thb-gateway:8080';
// Pods outside the suite that policies may name, as the cluster labels them.
const EXTERNAL_PODS = [
  { name: 'kube-dns', ns: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ports: [53] },
  { name: 'prometheus', ns: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' }, ports: [9090] },
  { name: 'internet', ns: null, labels: {}, ports: [] },      // outside the cluster
  { name: 'other-pod', ns: 'default', labels: { app: 'other' }, ports: [] },  // any other workload
];
const NAMESPACE_LABELS = {
  'kube-system': { 'kubernetes.io/metadata.name': 'kube-system' },
  monitoring: { 'kubernetes.io/metadata.name': 'monitoring' },
  default: { 'kubernetes.io/metadata.name': 'default' },
};
// The image's user (USER in the Dockerfile's last stage): the pods must run as it.
const DOCKERFILE_UID = Number(/^USER (\d+)/m.exec(readFileSync(path.join(root, 'Dockerfile'), 'utf8'))?.[1]);
const POSTGRES_MAX_CONNECTIONS = 100 - 3;  // PostgreSQL's default, less superuser_reserved_connections

// ---------------------------------------------------------------------------------------------
// Schema validation: the model class for each apiVersion/kind, imported on demand.
async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [null, apiVersion];
  const module = group === 'monitoring.coreos.com'
    ? `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`
    : `kubernetes-models/${group === null ? '' : `${group}/`}${version}/${kind}`;
  try {
    return (await import(module))[kind] ?? null;
  } catch (e) {
    if (e.code !== 'ERR_MODULE_NOT_FOUND' && e.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw e;
    return null;
  }
}

async function validateSchemas(objects) {
  const errors = [];
  for (const o of objects) {
    const Model = await modelFor(o.apiVersion, o.kind);
    if (!Model) {
      errors.push(`${id(o)}: no schema for ${o.apiVersion} ${o.kind}`);
      continue;
    }
    try {
      new Model(o).validate();
    } catch (e) {
      errors.push(`${id(o)}: ${e.message}`);
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Helpers.
function id(o) {
  return `${o.kind}/${o.metadata?.namespace ? o.metadata.namespace + '/' : ''}${o.metadata?.name}`;
}
function labelsMatch(selector, labels) {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}
function emptySelector(s) {
  return !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);
}
function seconds(duration) {  // absl durations as the ConfigMaps write them: 20s, 1m, 1m30s
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s)/g;
  let m;
  let seen = '';
  while ((m = re.exec(duration)) !== null) {
    seen += m[0];
    total += Number(m[1]) * { h: 3600, m: 60, s: 1, ms: 0.001 }[m[2]];
  }
  if (seen !== duration) throw new Error(`cannot read duration "${duration}"`);
  return total;
}

// The rendered world of one overlay: workloads with their effective environment.
function model(objects) {
  const byKind = (k) => objects.filter((o) => o.kind === k);
  const configMaps = new Map(byKind('ConfigMap').map((c) => [`${c.metadata.namespace}/${c.metadata.name}`, c]));
  const workloads = byKind('Deployment').map((d) => {
    const ns = d.metadata.namespace;
    const pod = d.spec.template;
    const containers = pod.spec.containers.map((c) => {
      const env = {};
      const missing = [];
      for (const src of c.envFrom ?? []) {
        if (src.configMapRef) {
          const cm = configMaps.get(`${ns}/${src.configMapRef.name}`);
          if (!cm) missing.push(`ConfigMap ${src.configMapRef.name}`);
          else for (const [k, v] of Object.entries(cm.data ?? {})) env[k] = { value: v, from: cm.metadata.name };
        }
        if (src.secretRef) missing.push(`envFrom Secret ${src.secretRef.name} (not allowed: name the keys)`);
      }
      for (const e of c.env ?? []) {  // explicit env wins over envFrom
        env[e.name] = e.valueFrom ? { valueFrom: e.valueFrom } : { value: e.value ?? '' };
      }
      return { spec: c, env, missing };
    });
    return { deployment: d, name: d.metadata.name, ns, labels: pod.metadata.labels ?? {}, pod: pod.spec, containers };
  });
  const namespaceLabels = { ...NAMESPACE_LABELS };
  for (const n of byKind('Namespace')) {
    namespaceLabels[n.metadata.name] = { ...(n.metadata.labels ?? {}), 'kubernetes.io/metadata.name': n.metadata.name };
  }
  return { objects, byKind, configMaps, workloads, namespaceLabels };
}

function containerPorts(w) {
  return w.containers.flatMap((c) => c.spec.ports ?? []);
}
function resolvePort(w, port) {  // a named or numbered port of a workload's pods, or null
  const ports = containerPorts(w);
  if (typeof port === 'number') return ports.some((p) => p.containerPort === port) ? port : null;
  const p = ports.find((q) => q.name === port);
  return p ? p.containerPort : null;
}

// ---------------------------------------------------------------------------------------------
// Pods: hardening, probes, limits, ports, configuration.
function checkWorkloads(m, overlay, flagsOf) {
  const errors = [];
  const secretsDocumented = deployDoc;
  for (const w of m.workloads) {
    const where = `Deployment ${w.ns}/${w.name}`;
    const suite = SUITE[w.name];
    if (!suite) {
      errors.push(`${where}: not a THB Suite workload`);
      continue;
    }
    if (w.ns !== suite.ns) errors.push(`${where}: belongs in namespace ${suite.ns}`);
    if (!labelsMatch(w.deployment.spec.selector, w.labels)) errors.push(`${where}: selector does not match its pod labels`);
    const psc = w.pod.securityContext ?? {};
    if (psc.runAsNonRoot !== true) errors.push(`${where}: pod securityContext.runAsNonRoot is not true`);
    if (!(psc.runAsUser > 0)) errors.push(`${where}: pod runAsUser must be a non-zero uid`);
    else if (psc.runAsUser !== DOCKERFILE_UID) errors.push(`${where}: runAsUser ${psc.runAsUser} is not the image's user ${DOCKERFILE_UID}`);
    if (psc.seccompProfile?.type !== 'RuntimeDefault') errors.push(`${where}: seccompProfile is not RuntimeDefault`);
    if (w.pod.automountServiceAccountToken !== false) errors.push(`${where}: mounts a service account token it never uses`);
    const sa = m.objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.namespace === w.ns && o.metadata.name === w.pod.serviceAccountName);
    if (!sa) errors.push(`${where}: serviceAccountName ${w.pod.serviceAccountName} is not rendered in ${w.ns}`);
    const volumes = new Map((w.pod.volumes ?? []).map((v) => [v.name, v]));
    for (const v of volumes.values()) {
      if (v.configMap && !m.configMaps.has(`${w.ns}/${v.configMap.name}`)) errors.push(`${where}: volume ${v.name} names ConfigMap ${v.configMap.name}, not rendered`);
      if (v.secret && !secretsDocumented.includes(`\`${v.secret.secretName}\``)) errors.push(`${where}: Secret ${v.secret.secretName} is neither rendered nor documented in docs/DEPLOY.md`);
      if (v.persistentVolumeClaim && !m.objects.some((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.namespace === w.ns && o.metadata.name === v.persistentVolumeClaim.claimName)) {
        errors.push(`${where}: volume ${v.name} names claim ${v.persistentVolumeClaim.claimName}, not rendered in ${w.ns}`);
      }
    }
    for (const c of w.containers) {
      const cw = `${where} container ${c.spec.name}`;
      errors.push(...c.missing.map((x) => `${cw}: ${x} not rendered`));
      const sc = c.spec.securityContext ?? {};
      if (sc.readOnlyRootFilesystem !== true) errors.push(`${cw}: root filesystem is not read-only`);
      if (sc.allowPrivilegeEscalation !== false) errors.push(`${cw}: allowPrivilegeEscalation is not false`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) errors.push(`${cw}: capabilities are not dropped (drop: [ALL])`);
      if ((sc.capabilities?.add ?? []).length) errors.push(`${cw}: adds capabilities`);
      if (sc.privileged) errors.push(`${cw}: privileged`);
      for (const kind of ['requests', 'limits']) {
        for (const r of ['cpu', 'memory']) {
          if (!c.spec.resources?.[kind]?.[r]) errors.push(`${cw}: no ${r} ${kind.replace(/s$/, '')}`);
        }
      }
      const image = c.spec.image ?? '';
      if (!/^[a-z0-9.-]+(:\d+)?\/.+:[A-Za-z0-9._-]+$/.test(image) || image.endsWith(':latest')) {
        errors.push(`${cw}: image "${image}" is not a registry path with a pinned tag`);
      }
      if (!image.includes(`/${w.name}:`)) errors.push(`${cw}: image "${image}" is not the ${w.name} image`);
      for (const vm of c.spec.volumeMounts ?? []) {
        if (!volumes.has(vm.name)) errors.push(`${cw}: mounts volume ${vm.name}, which the pod does not have`);
      }
      // Probes: present, on ports that exist; the pillars' readiness is their gRPC health service.
      for (const probe of ['readinessProbe', 'livenessProbe']) {
        const p = c.spec[probe];
        if (!p) {
          errors.push(`${cw}: no ${probe}`);
          continue;
        }
        const port = p.grpc?.port ?? p.httpGet?.port ?? p.tcpSocket?.port;
        if (port === undefined || resolvePort(w, port) === null) errors.push(`${cw}: ${probe} port ${port} is not a container port`);
        if (suite.grpc) {
          if (!p.grpc) errors.push(`${cw}: ${probe} is not a native gRPC probe`);
          else if (resolvePort(w, p.grpc.port) !== suite.grpc) errors.push(`${cw}: ${probe} is not on the gRPC port ${suite.grpc}`);
          if (probe === 'readinessProbe' && p.grpc && p.grpc.service !== suite.health) {
            errors.push(`${cw}: readiness asks health of "${p.grpc.service}", not ${suite.health}`);
          }
        }
      }
      // Ports: listen addresses in the configuration are the declared container ports.
      const names = Object.fromEntries((c.spec.ports ?? []).map((p) => [p.name, p.containerPort]));
      const listen = c.env.THB_LISTEN?.value ?? '';
      const listenPort = Number(listen.slice(listen.lastIndexOf(':') + 1));
      const servicePort = suite.grpc ?? suite.http;
      if (listenPort !== servicePort || names[suite.grpc ? 'grpc' : 'http'] !== servicePort) {
        errors.push(`${cw}: THB_LISTEN "${listen}" and the ${suite.grpc ? 'grpc' : 'http'} port must both be ${servicePort}`);
      }
      if (suite.grpc) {
        const admin = c.env.THB_ADMIN_LISTEN?.value ?? '';
        if (Number(admin.slice(admin.lastIndexOf(':') + 1)) !== suite.metrics || names.metrics !== suite.metrics) {
          errors.push(`${cw}: THB_ADMIN_LISTEN "${admin}" and the metrics port must both be ${suite.metrics}`);
        }
      }
      // Drain: the grace period outlasts the preStop pause plus the drain (services) or the
      // longest request (gateway), and not by more than 30 s.
      const drain = seconds(c.env.THB_DRAIN_TIMEOUT?.value ?? (suite.grpc ? '20s' : c.env.THB_REQUEST_TIMEOUT?.value ?? '30s'));
      const pause = c.spec.lifecycle?.preStop?.sleep?.seconds ?? 0;
      const grace = w.pod.terminationGracePeriodSeconds ?? 30;
      if (!(grace > pause + drain && grace <= pause + drain + 30)) {
        errors.push(`${cw}: terminationGracePeriodSeconds ${grace} does not match preStop ${pause}s + drain ${drain}s (must exceed it by at most 30 s)`);
      }
      // Upstream targets: dns:/// names of headless Services that exist, on their gRPC port.
      for (const [k, v] of Object.entries(c.env)) {
        if (!/^THB_[A-Z]+_TARGET$/.test(k)) continue;
        const t = /^dns:\/\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local:(\d+)$/.exec(v.value ?? '');
        if (!t) {
          errors.push(`${cw}: ${k}="${v.value}" is not dns:///<service>.<namespace>.svc.cluster.local:<port>`);
          continue;
        }
        const svc = m.objects.find((o) => o.kind === 'Service' && o.metadata.name === t[1] && o.metadata.namespace === t[2]);
        if (!svc) errors.push(`${cw}: ${k} names Service ${t[2]}/${t[1]}, not rendered`);
        else {
          if (svc.spec.clusterIP !== 'None') errors.push(`${cw}: ${k} resolves ${t[1]}, which is not headless (round_robin needs every pod address)`);
          if (!svc.spec.ports.some((p) => p.port === Number(t[3]))) errors.push(`${cw}: ${k} port ${t[3]} is not a port of Service ${t[1]}`);
        }
      }
      // Every THB_ variable is a flag of the binary (a misspelt one would be silently ignored).
      const flags = flagsOf(w.name);
      for (const k of Object.keys(c.env)) {
        if (!k.startsWith('THB_')) continue;
        if (flags && !flags.has(k.slice(4).toLowerCase())) errors.push(`${cw}: ${k} is not a flag of ${w.name}`);
      }
      if (c.env.THB_DEV_INSECURE) errors.push(`${cw}: THB_DEV_INSECURE is set`);
      if (suite.database) {
        if (!c.env.THB_JWT_JWKS_FILE && !c.env.THB_JWT_PUBLIC_KEY_FILE) errors.push(`${cw}: no identity provider key (THB_JWT_JWKS_FILE)`);
        errors.push(...checkDatabase(w, c, cw, overlay, secretsDocumented));
      }
    }
  }
  return errors;
}

// What each overlay promises about storage and replicas.
function checkDatabase(w, c, cw, overlay, secretsDocumented) {
  const errors = [];
  const db = c.env.THB_DB;
  if (!db) return [`${cw}: no THB_DB`];
  if (overlay === 'prod') {
    const ref = db.valueFrom?.secretKeyRef;
    if (!ref) errors.push(`${cw}: THB_DB is not read from a Secret (a PostgreSQL URL carries a password)`);
    else if (!secretsDocumented.includes(`\`${ref.name}\``)) errors.push(`${cw}: Secret ${ref.name} is not documented in docs/DEPLOY.md`);
    if ((w.pod.volumes ?? []).some((v) => v.emptyDir && v.name === 'data')) errors.push(`${cw}: keeps a local data directory in prod`);
  }
  if (overlay === 'dev') {
    const mount = (c.spec.volumeMounts ?? []).find((vm) => db.value?.startsWith(vm.mountPath + '/'));
    const volume = mount && (w.pod.volumes ?? []).find((v) => v.name === mount.name);
    if (!volume?.persistentVolumeClaim) errors.push(`${cw}: the SQLite file ${db.value} is not on a PersistentVolumeClaim`);
    if (w.deployment.spec.strategy?.type !== 'Recreate') errors.push(`${cw}: SQLite on a claim needs strategy Recreate (one writer)`);
  }
  return errors;
}

function checkOverlay(m, overlay) {
  const errors = [];
  for (const w of m.workloads) {
    const where = `Deployment ${w.ns}/${w.name}`;
    const replicas = w.deployment.spec.replicas ?? 1;
    if (overlay === 'dev' && replicas !== 1) errors.push(`${where}: dev runs one replica, not ${replicas}`);
    if (overlay !== 'prod') continue;
    if (replicas < 2) errors.push(`${where}: prod runs at least 2 replicas, not ${replicas}`);
    const pdb = m.byKind('PodDisruptionBudget').find((p) => p.metadata.namespace === w.ns && labelsMatch(p.spec.selector, w.labels));
    if (!pdb) errors.push(`${where}: no PodDisruptionBudget selects its pods`);
    else if (!(pdb.spec.minAvailable >= 1 || pdb.spec.maxUnavailable !== undefined)) errors.push(`${where}: PodDisruptionBudget protects nothing`);
    const hpa = m.byKind('HorizontalPodAutoscaler').find((h) => h.metadata.namespace === w.ns && h.spec.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === w.name);
    if (!hpa) errors.push(`${where}: no HorizontalPodAutoscaler`);
    else if (!(hpa.spec.minReplicas >= 2 && hpa.spec.maxReplicas >= hpa.spec.minReplicas)) errors.push(`${where}: autoscaler range ${hpa.spec.minReplicas}..${hpa.spec.maxReplicas} goes below 2`);
    const spread = w.pod.topologySpreadConstraints ?? [];
    if (!spread.some((s) => s.topologyKey === 'kubernetes.io/hostname')) errors.push(`${where}: replicas are not spread over nodes`);
    for (const s of spread) {
      if (!labelsMatch(s.labelSelector, w.labels) || emptySelector(s.labelSelector)) errors.push(`${where}: topology spread selector does not select its own pods`);
    }
  }
  for (const h of m.byKind('HorizontalPodAutoscaler')) {
    if (!m.workloads.some((w) => w.ns === h.metadata.namespace && w.name === h.spec.scaleTargetRef.name)) errors.push(`${id(h)}: scales a Deployment that is not rendered`);
  }
  if (overlay === 'prod') {
    let connections = 0;
    for (const w of m.workloads) {
      const pool = w.containers[0].env.THB_DB_POOL_SIZE;
      if (!SUITE[w.name]?.database) continue;
      if (!pool) {
        errors.push(`Deployment ${w.ns}/${w.name}: THB_DB_POOL_SIZE not set`);
        continue;
      }
      const hpa = m.byKind('HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.name === w.name);
      // The pool, plus the connection that LISTENs for the other replicas' commits.
      connections += (Number(pool.value) + 1) * (hpa?.spec.maxReplicas ?? w.deployment.spec.replicas);
    }
    if (connections > POSTGRES_MAX_CONNECTIONS) errors.push(`prod: at the autoscalers' maxima the replicas open ${connections} PostgreSQL connections, over ${POSTGRES_MAX_CONNECTIONS}`);
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Services and ServiceMonitors: selectors match real pods, ports exist.
function checkServices(m, overlay) {
  const errors = [];
  for (const s of m.byKind('Service')) {
    const pods = m.workloads.filter((w) => w.ns === s.metadata.namespace && labelsMatch({ matchLabels: s.spec.selector }, w.labels));
    if (emptySelector({ matchLabels: s.spec.selector }) || pods.length === 0) {
      errors.push(`${id(s)}: selector matches no workload`);
      continue;
    }
    for (const p of s.spec.ports) {
      for (const w of pods) {
        if (resolvePort(w, p.targetPort ?? p.port) === null) errors.push(`${id(s)}: port ${p.name} targets ${p.targetPort}, which ${w.name} does not expose`);
      }
      if (p.name === 'grpc' && s.spec.clusterIP !== 'None') errors.push(`${id(s)}: gRPC Service is not headless`);
    }
  }
  const monitors = m.byKind('ServiceMonitor');
  for (const sm of monitors) {
    const namespaces = sm.spec.namespaceSelector?.matchNames ?? [sm.metadata.namespace];
    const services = m.byKind('Service').filter((s) => namespaces.includes(s.metadata.namespace) && labelsMatch(sm.spec.selector, s.metadata.labels ?? {}));
    if (services.length === 0) errors.push(`${id(sm)}: selects no Service`);
    for (const ep of sm.spec.endpoints ?? []) {
      if (!ep.port) errors.push(`${id(sm)}: endpoint without a port name`);
      for (const s of services) {
        if (!s.spec.ports.some((p) => p.name === ep.port)) errors.push(`${id(sm)}: Service ${s.metadata.name} has no port named "${ep.port}"`);
      }
    }
  }
  if (overlay === 'prod') {  // monitoring is part of prod: every workload's metrics are scraped
    for (const w of m.workloads) {
      const port = SUITE[w.name]?.metrics;
      const scraped = monitors.some((sm) => m.byKind('Service').some((s) =>
        s.metadata.namespace === w.ns && labelsMatch(sm.spec.selector, s.metadata.labels ?? {}) &&
        labelsMatch({ matchLabels: s.spec.selector }, w.labels) &&
        s.spec.ports.some((p) => sm.spec.endpoints.some((e) => e.port === p.name) && resolvePort(w, p.targetPort) === port)));
      if (!scraped) errors.push(`Deployment ${w.ns}/${w.name}: no ServiceMonitor scrapes its metrics port ${port}`);
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// NetworkPolicies, evaluated with Kubernetes' semantics over the suite's pods and the outside
// pods above: the allowed calls must be exactly EXPECTED_CALLS (plus DNS and PostgreSQL).
function peers(m) {
  const pods = m.workloads.map((w) => ({ name: w.name, ns: w.ns, labels: w.labels, ports: containerPorts(w).map((p) => p.containerPort), workload: w }));
  return pods.concat(EXTERNAL_PODS);
}
function peerMatches(m, policyNs, peer, pod) {
  if (peer.ipBlock) return pod.ns === null;
  if (pod.ns === null) return false;  // selectors select pods, never the outside
  if (peer.namespaceSelector) {
    if (!labelsMatch(peer.namespaceSelector, m.namespaceLabels[pod.ns] ?? { 'kubernetes.io/metadata.name': pod.ns })) return false;
  } else if (pod.ns !== policyNs) return false;
  return peer.podSelector ? labelsMatch(peer.podSelector, pod.labels) : true;
}
function portAllowed(rulePorts, target, port, protocol) {
  if (!rulePorts || rulePorts.length === 0) return true;
  return rulePorts.some((p) => (p.protocol ?? 'TCP') === protocol &&
    (p.port === undefined || (typeof p.port === 'number' ? p.port === port : target?.workload && resolvePort(target.workload, p.port) === port)));
}
function allowed(m, from, to, port, protocol = 'TCP') {
  const policies = m.byKind('NetworkPolicy');
  const side = (pod, type, rulesKey, other, target) => {
    if (pod.ns === null || !pod.workload) return true;  // outside pods: not ours to police
    const selecting = policies.filter((p) => p.metadata.namespace === pod.ns && labelsMatch(p.spec.podSelector, pod.labels) &&
      (p.spec.policyTypes ?? ['Ingress']).includes(type));
    if (selecting.length === 0) return true;
    return selecting.some((p) => (p.spec[rulesKey] ?? []).some((rule) => {
      const peersOf = rule[type === 'Ingress' ? 'from' : 'to'];
      const peerOk = !peersOf || peersOf.length === 0 || peersOf.some((q) => peerMatches(m, p.metadata.namespace, q, other));
      return peerOk && portAllowed(rule.ports, target, port, protocol);
    }));
  };
  return side(from, 'Egress', 'egress', to, to) && side(to, 'Ingress', 'ingress', from, to);
}
function checkNetworkPolicies(m, overlay) {
  const errors = [];
  const policies = m.byKind('NetworkPolicy');
  const suiteNamespaces = [...new Set(m.workloads.map((w) => w.ns))];
  for (const ns of suiteNamespaces) {
    const deny = policies.find((p) => p.metadata.namespace === ns && emptySelector(p.spec.podSelector) &&
      ['Ingress', 'Egress'].every((t) => p.spec.policyTypes?.includes(t)) && !(p.spec.ingress?.length) && !(p.spec.egress?.length));
    if (!deny) errors.push(`namespace ${ns}: no default-deny NetworkPolicy (podSelector {}, Ingress and Egress, no rules)`);
  }
  const all = peers(m);
  for (const p of policies) {
    if (!emptySelector(p.spec.podSelector) && !m.workloads.some((w) => w.ns === p.metadata.namespace && labelsMatch(p.spec.podSelector, w.labels))) {
      errors.push(`${id(p)}: podSelector matches no workload`);
    }
    for (const [key, dir] of [['ingress', 'from'], ['egress', 'to']]) {
      for (const rule of p.spec[key] ?? []) {
        for (const q of rule[dir] ?? []) {
          if (q.ipBlock) continue;
          if (!all.some((pod) => pod.ns !== null && pod.name !== 'other-pod' && peerMatches(m, p.metadata.namespace, q, pod))) {
            errors.push(`${id(p)}: a ${dir} peer ${JSON.stringify(q)} matches no pod of the suite, Prometheus or DNS`);
          }
        }
        for (const port of rule.ports ?? []) {  // named ports must exist on the pods they guard
          if (typeof port.port !== 'string') continue;
          const guarded = key === 'ingress'
            ? m.workloads.filter((w) => w.ns === p.metadata.namespace && labelsMatch(p.spec.podSelector, w.labels))
            : all.filter((pod) => pod.workload && (rule.to ?? []).some((q) => peerMatches(m, p.metadata.namespace, q, pod))).map((pod) => pod.workload);
          for (const w of guarded) {
            if (resolvePort(w, port.port) === null) errors.push(`${id(p)}: port "${port.port}" is not a port of ${w.name}`);
          }
        }
      }
    }
  }
  // The call graph the policies allow, over every pair and every port the targets listen on.
  const calls = new Set();
  for (const from of all) {
    for (const to of all) {
      if (!to.workload) continue;
      for (const port of to.ports) {
        if (allowed(m, from, to, port)) calls.add(`${from.name} -> ${to.name}:${port}`);
      }
    }
  }
  for (const c of calls) {
    if (!EXPECTED_CALLS.has(c) && !c.endsWith(` -> ${PUBLIC}`)) errors.push(`network: allows ${c}, which is not a call of the contract DAG`);
  }
  for (const c of EXPECTED_CALLS) if (!calls.has(c)) errors.push(`network: blocks ${c}, a call of the contract DAG`);
  for (const from of ['internet', 'other-pod', 'prometheus']) {
    if (!calls.has(`${from} -> ${PUBLIC}`)) errors.push(`network: blocks ${from} -> ${PUBLIC}, the public API`);
  }
  const dns = all.find((p) => p.name === 'kube-dns');
  const internet = all.find((p) => p.name === 'internet');
  for (const from of all.filter((p) => p.workload)) {
    if (!allowed(m, from, dns, 53, 'UDP')) errors.push(`network: ${from.name} cannot reach DNS`);
    const needsDb = overlay === 'prod' && SUITE[from.name].database === true;
    if (allowed(m, from, internet, 5432) !== needsDb) {
      errors.push(`network: ${from.name} ${needsDb ? 'cannot' : 'may'} reach PostgreSQL outside the cluster on 5432`);
    }
    if (allowed(m, from, internet, 443)) errors.push(`network: ${from.name} may reach the internet on 443`);
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// The Grafana dashboard plots what the binaries export, and every domain gauge.
// Read once: every check of every overlay and mutation uses the same sources and docs.
const deployDoc = readFileSync(path.join(root, 'docs/DEPLOY.md'), 'utf8');
const exportedMetrics = (() => {
  const names = new Set();
  const histograms = new Set();
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(cc|h)$/.test(e.name) && !/_test\.cc$/.test(e.name)) {
        const text = readFileSync(p, 'utf8');
        for (const mm of text.matchAll(/BuildHistogram\(\)\s*\.Name\("([a-z_]+)"\)/g)) histograms.add(mm[1]);
        for (const mm of text.matchAll(/\.Name\("([a-z_]+)"\)|GaugeFamily\("([a-z_]+)"/g)) names.add(mm[1] ?? mm[2]);
      }
    }
  };
  walk(path.join(root, 'services'));
  walk(path.join(root, 'gateway'));
  for (const h of histograms) for (const s of ['_bucket', '_sum', '_count']) names.add(h + s);
  return names;
})();
function checkDashboard(m, overlay) {
  const errors = [];
  const maps = m.byKind('ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard === '1');
  if (overlay === 'prod' && maps.length === 0) return ['prod: no Grafana dashboard ConfigMap'];
  const exported = exportedMetrics;
  const domain = [...exported].filter((n) => n.startsWith('thb_'));
  for (const cm of maps) {
    for (const [file, text] of Object.entries(cm.data ?? {})) {
      let dash;
      try {
        dash = JSON.parse(text);
      } catch (e) {
        errors.push(`${id(cm)} ${file}: not JSON: ${e.message}`);
        continue;
      }
      const exprs = (dash.panels ?? []).flatMap((p) => (p.targets ?? []).map((t) => t.expr));
      const used = new Set();
      for (const expr of exprs) {
        const stripped = expr.replace(/\{[^}]*\}/g, '').replace(/\[[^\]]*\]/g, '').replace(/"[^"]*"/g, '');
        for (const tok of stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []) {
          if (!/_/.test(tok) || /^(histogram_quantile|by|sum|rate|max|min|avg|without|label_replace)$/.test(tok)) continue;
          if (/^(grpc|http|thb)_/.test(tok) && !/^(grpc_service|grpc_method|grpc_code|grpc_type|follow_up)$/.test(tok)) {
            used.add(tok);
            if (!exported.has(tok)) errors.push(`${id(cm)} ${file}: plots ${tok}, which no binary exports`);
          }
        }
      }
      for (const needed of ['grpc_server_handled_total', 'grpc_server_handling_seconds_bucket', ...domain]) {
        if (!used.has(needed)) errors.push(`${id(cm)} ${file}: does not plot ${needed}`);
      }
      if (!exprs.some((e) => /grpc_code!="OK"/.test(e))) errors.push(`${id(cm)} ${file}: no error-rate panel`);
      if (!exprs.some((e) => /grpc_method/.test(e) && /histogram_quantile/.test(e))) errors.push(`${id(cm)} ${file}: no latency per RPC panel`);
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
function flagsLoader() {
  const cache = {};
  return (name) => {
    if (!binaries[name]) return null;
    if (!cache[name]) {
      let out;
      try {
        out = execFileSync(binaries[name], ['--helpfull'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        out = `${e.stdout ?? ''}${e.stderr ?? ''}`;  // absl exits 1 after --helpfull
      }
      cache[name] = new Set([...out.matchAll(/^\s+--([a-z0-9_]+)/gm)].map((x) => x[1]));
      if (cache[name].size < 10) throw new Error(`${binaries[name]} --helpfull listed no flags`);
    }
    return cache[name];
  };
}

function render(dir) {
  const text = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length) throw new Error(`${dir}: ${d.errors[0].message}`);
    return d.toJS();
  }).filter((o) => o);
}

export function checkAll(objects, overlay, flagsOf) {
  const m = model(objects);
  return {
    workloads: checkWorkloads(m, overlay, flagsOf),
    overlay: checkOverlay(m, overlay),
    services: checkServices(m, overlay),
    network: checkNetworkPolicies(m, overlay),
    dashboard: checkDashboard(m, overlay),
  };
}

// Each mutation breaks one invariant in a copy of a rendered overlay; the checks must notice.
const MUTATIONS = [
  ['a readiness probe removed', 'workloads', (o) => { delete dep(o, 'thb-coordinator').spec.template.spec.containers[0].readinessProbe; }],
  ['a pod running as root', 'workloads', (o) => { dep(o, 'thb-commission').spec.template.spec.securityContext.runAsUser = 0; }],
  ['a writable root filesystem', 'workloads', (o) => { dep(o, 'thb-gateway').spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false; }],
  ['a memory limit removed', 'workloads', (o) => { delete dep(o, 'thb-rapporteur').spec.template.spec.containers[0].resources.limits.memory; }],
  ['a probe on a port that does not exist', 'workloads', (o) => { dep(o, 'thb-coordinator').spec.template.spec.containers[0].livenessProbe.grpc.port = 50099; }],
  ['a grace period shorter than the drain', 'workloads', (o) => { dep(o, 'thb-commission').spec.template.spec.terminationGracePeriodSeconds = 10; }],
  ['a misspelt flag', 'workloads', (o) => { cm(o, 'thb-coordinator-config').data.THB_DRAIN_TIMEOT = '20s'; }],
  ['a Service port naming no container port', 'services', (o) => { svc(o, 'thb-commission-metrics').spec.ports[0].targetPort = 'metricz'; }],
  ['a ServiceMonitor naming no Service port', 'services', (o) => { o.find((x) => x.kind === 'ServiceMonitor' && x.metadata.name === 'thb-rapporteur').spec.endpoints[0].port = 'metricz'; }],
  ['the commission allowed to call the rapporteur', 'network', (o) => {
    const np = o.find((x) => x.kind === 'NetworkPolicy' && x.metadata.name === 'thb-rapporteur');
    np.spec.ingress[0].from.push({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'thb' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'thb-commission' } } });
    o.find((x) => x.kind === 'NetworkPolicy' && x.metadata.name === 'thb-commission').spec.egress.push({ to: np.spec.ingress[0].from.slice(-1).map(() => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'thb-rapporteur' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'thb-rapporteur' } } })), ports: [{ protocol: 'TCP', port: 50053 }] });
  }],
  ['the default deny removed', 'network', (o) => { o.splice(o.findIndex((x) => x.kind === 'NetworkPolicy' && x.metadata.name === 'default-deny' && x.metadata.namespace === 'thb-rapporteur'), 1); }],
  ['a policy selecting a label no pod has', 'network', (o) => { o.find((x) => x.kind === 'NetworkPolicy' && x.metadata.name === 'thb-coordinator').spec.podSelector.matchLabels['app.kubernetes.io/name'] = 'thb-coordinater'; }],
  ['a dashboard plotting a metric nobody exports', 'dashboard', (o) => {
    const c = o.find((x) => x.kind === 'ConfigMap' && x.metadata.labels?.grafana_dashboard === '1');
    const [file] = Object.keys(c.data);
    c.data[file] = c.data[file].replace('thb_measures_overdue', 'thb_measure_overdue');
  }],
  ['one replica in prod', 'overlay', (o) => { dep(o, 'thb-gateway').spec.replicas = 1; }],
  ['a database URL in a ConfigMap', 'workloads', (o) => { delete dep(o, 'thb-coordinator').spec.template.spec.containers[0].env; }],
];
function dep(o, name) { return o.find((x) => x.kind === 'Deployment' && x.metadata.name === name); }
function svc(o, name) { return o.find((x) => x.kind === 'Service' && x.metadata.name === name); }
function cm(o, prefix) { return o.find((x) => x.kind === 'ConfigMap' && x.metadata.name.startsWith(prefix)); }

async function main() {
  let failures = 0;
  const report = (label, errors) => {
    console.log(`${errors.length ? 'FAIL' : 'ok  '} ${label}${errors.length ? ` (${errors.length})` : ''}`);
    for (const e of errors) console.log(`       ${e}`);
    failures += errors.length;
  };
  for (const name of Object.keys(SUITE)) {
    if (!binaries[name]) throw new Error(`give ${name}=<path of the binary>: the manifests' THB_* variables are checked against its flags`);
  }
  if (!(DOCKERFILE_UID > 0)) throw new Error('Dockerfile: no numeric USER');
  const flagsOf = flagsLoader();
  const overlays = readdirSync(path.join(root, 'k8s/overlays')).sort();
  if (!overlays.includes('dev') || !overlays.includes('prod')) throw new Error('k8s/overlays must hold dev and prod');
  const rendered = {};
  for (const overlay of overlays) {
    const objects = render(path.join(root, 'k8s/overlays', overlay));
    rendered[overlay] = objects;
    console.log(`${overlay}: ${objects.length} objects (${[...new Set(objects.map((o) => o.kind))].join(', ')})`);
    report(`${overlay}: schemas`, await validateSchemas(objects));
    for (const [group, errors] of Object.entries(checkAll(objects, overlay, flagsOf))) report(`${overlay}: ${group}`, errors);
  }
  // The checks can fail: each mutation must be reported by the group it breaks.
  const missed = [];
  for (const [what, group, mutate] of MUTATIONS) {
    const copy = structuredClone(rendered.prod);
    mutate(copy);
    const found = checkAll(copy, 'prod', flagsOf)[group];
    if (found.length === 0) missed.push(`mutation not detected: ${what}`);
    if (process.env.THB_K8S_VERBOSE) console.log(`  ${what}: ${found.join(' | ')}`);
  }
  report(`mutations: ${MUTATIONS.length} broken copies of prod each detected`, missed);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.error(e.stack ?? String(e));
  process.exit(1);
});
