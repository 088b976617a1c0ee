import { stringify } from 'yaml';

import { isSecret } from '../env/secrets.js';
import { dnsName, typePortEnv, type ExportPlan } from './plan.js';

// Kubernetes: a Deployment per type with replicas, a Service per routed type with no session affinity,
// env from a ConfigMap and (for secret-looking keys) a Secret.
export function kubernetesFiles(plan: ExportPlan): Map<string, string> {
  const app = dnsName(plan.app);
  const config = Object.fromEntries(Object.entries(plan.env).filter(([key, value]) => !isSecret(key, value)));
  const secret = Object.fromEntries(Object.entries(plan.env).filter(([key, value]) => isSecret(key, value)));
  const files = new Map<string, string>();
  const labels = (type: string): Record<string, string> => ({
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/component': dnsName(type),
  });
  files.set(
    'configmap.yaml',
    stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${app}-env`, labels: { 'app.kubernetes.io/name': app } },
      data: config,
    }),
  );
  files.set(
    'secret.yaml',
    stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${app}-env`, labels: { 'app.kubernetes.io/name': app } },
      type: 'Opaque',
      stringData: secret,
    }),
  );
  for (const type of plan.types) {
    const name = `${app}-${dnsName(type.name)}`;
    files.set(
      `${dnsName(type.name)}-deployment.yaml`,
      stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, labels: labels(type.name) },
        spec: {
          replicas: type.replicas,
          selector: { matchLabels: labels(type.name) },
          template: {
            metadata: { labels: labels(type.name) },
            spec: {
              terminationGracePeriodSeconds: plan.stopTimeoutS,
              containers: [
                {
                  name: dnsName(type.name),
                  image: plan.image,
                  command: ['/bin/sh', '-c', type.command],
                  env: [
                    { name: 'PORT', value: String(type.port) },
                    { name: 'PS', value: type.name },
                    ...Object.entries(typePortEnv(plan)).map(([name, value]) => ({ name, value })),
                  ],
                  envFrom: [{ configMapRef: { name: `${app}-env` } }, { secretRef: { name: `${app}-env` } }],
                  ...(type.routed
                    ? {
                        ports: [{ name: 'http', containerPort: type.port }],
                        readinessProbe: { tcpSocket: { port: type.port } },
                      }
                    : {}),
                },
              ],
            },
          },
        },
      }),
    );
    if (type.routed) {
      files.set(
        `${dnsName(type.name)}-service.yaml`,
        stringify({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, labels: labels(type.name) },
          spec: {
            selector: labels(type.name),
            sessionAffinity: 'None',
            ports: [{ name: 'http', port: 80, targetPort: type.port }],
          },
        }),
      );
    }
  }
  files.set(
    'README.md',
    [
      `# ${plan.app}: Kubernetes`,
      '',
      '`kubectl apply -f .` What you still provide:',
      `- the image \`${plan.image}\` (\`--image\` to name another), built from your app, with /bin/sh;`,
      '- secret.yaml holds the env values whose names look secret, in plain text: keep it out of version control, or create the Secret another way;',
      '- an Ingress (or a LoadBalancer Service) if the routed types must be reachable from outside the cluster;',
      '- shared state (sessions, uploads, caches) in a backing service: the Services have no session affinity, as amnesia checked.',
      '',
    ].join('\n'),
  );
  return files;
}
