// The controls a run offers its user (keys in the UI, the programmatic API): each one a call on the part that owns it.
import type { RestartScheduler } from '../chaos/restart-scheduler.js';
import type { Balancer } from '../router/balancer.js';
import type { RunControls } from '../shared/run-handle.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { Shutdown } from './shutdown.js';

export function runControls(parts: {
  supervisor: Supervisor;
  scheduler: RestartScheduler;
  balancer: Balancer;
  shutdown: Shutdown;
}): RunControls {
  const { supervisor, scheduler, balancer, shutdown } = parts;
  return {
    restart: (name) => supervisor.restart(name, 'restart requested'),
    rollingRestart: () => supervisor.rollingRestart(),
    restartType: (type) => supervisor.restartTypes([type], 'restart requested'),
    killInstance: (name) => supervisor.restart(name, 'killed on request', 'SIGKILL'),
    toggleInstance: (name) =>
      supervisor.isRunning(name) ? supervisor.stopInstance(name) : supervisor.startInstance(name),
    stopInstance: (name) => supervisor.stopInstance(name),
    startInstance: (name) => supervisor.startInstance(name),
    reviveType: (type) => supervisor.reviveType(type),
    pauseRestarts: (paused) => scheduler.setPaused(paused),
    setBalance: (mode) => void (balancer.mode = mode),
    scale: (type, delta) => supervisor.scale(type, Math.max(0, supervisor.count(type) + delta)),
    scaleTo: (type, count) => supervisor.scale(type, Math.max(0, count)),
    pauseOutput: (paused) => supervisor.pauseOutput(paused),
    stop: (reason) => shutdown.end(reason, { kind: 'stopped' }),
    kill: (reason) => shutdown.end(reason, { kind: 'killed' }, true),
  };
}
