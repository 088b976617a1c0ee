import { join } from 'node:path';

import { shellQuote } from '../shared/shell-quote.js';
import { envFile, typePortEnv, type ExportPlan } from './plan.js';

// Foreman's systemd layout: APP.target wanting one unit per instance, PORT per instance (base + 100*i + N-1),
// restart policy and stop timeout; the env lives in APP.env (EnvironmentFile), not in the units.
export function systemdFiles(plan: ExportPlan): Map<string, string> {
  const files = new Map<string, string>();
  const units: string[] = [];
  for (const type of plan.types) {
    for (let n = 1; n <= type.replicas; n++) {
      const name = `${plan.app}-${type.name}.${n}`;
      units.push(`${name}.service`);
      files.set(
        `${name}.service`,
        [
          '[Unit]',
          `Description=${plan.app} ${type.name}.${n} (from the Procfile)`,
          `PartOf=${plan.app}.target`,
          'StopWhenUnneeded=yes',
          '',
          '[Service]',
          `User=${plan.user}`,
          `WorkingDirectory=${plan.root}`,
          `EnvironmentFile=-${join('/etc', plan.app, `${plan.app}.env`)}`,
          `Environment=PORT=${type.port + n - 1}`,
          `Environment=PS=${type.name}.${n}`,
          ...Object.entries(typePortEnv(plan)).map(([key, value]) => `Environment=${key}=${value}`),
          `ExecStart=/bin/sh -c ${shellQuote(type.command)}`,
          'Restart=always',
          'RestartSec=14s',
          'StandardInput=null',
          'StandardOutput=journal',
          'StandardError=journal',
          `SyslogIdentifier=${name}`,
          'KillMode=mixed',
          `TimeoutStopSec=${plan.stopTimeoutS}`,
          '',
        ].join('\n'),
      );
    }
  }
  files.set(
    `${plan.app}.target`,
    [
      '[Unit]',
      `Description=${plan.app} (every process of the Procfile)`,
      `Wants=${units.join(' ')}`,
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ].join('\n'),
  );
  files.set(`${plan.app}.env`, envFile(plan.env));
  const routed = plan.types.filter((t) => t.routed);
  files.set(
    'README.md',
    [
      `# ${plan.app}: systemd units`,
      '',
      `Copy the units to /etc/systemd/system, ${plan.app}.env to /etc/${plan.app}/${plan.app}.env (mode 600: it holds the env files' values), then`,
      `\`systemctl daemon-reload && systemctl enable --now ${plan.app}.target\`.`,
      '',
      'What you still provide:',
      `- the app itself in ${plan.root}, built (dependencies installed, assets compiled), and a user \`${plan.user}\`;`,
      ...routed.map(
        (t) =>
          `- a load balancer in front of ${t.name}: its instances listen on ports ${t.port}-${t.port + t.replicas - 1} (amnesia's router does not exist here);`,
      ),
      '- shared state (sessions, uploads, caches) in a backing service: the instances share nothing.',
      '',
    ].join('\n'),
  );
  return files;
}
