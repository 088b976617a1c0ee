import { render } from 'ink';

import type { Run } from '../../shared/run-handle.js';
import type { RunOutcome } from '../../shared/run-outcome.js';
import { App, type TuiControls } from './App.js';
import { TuiStore } from './store.js';

/** the `L` key's load: started and stopped per routed type by the CLI (it runs `amnesia load`) */
export interface LoadSwitch {
  toggle(type: string): void;
  /** the types under load changed; `notice` says how */
  listen(listener: (types: string[], notice: string) => void): void;
}

// The terminal UI for `start` on a TTY: a store fed by the run's events, drawn by ink; keys act through
// the run's controls. Resolves with how the run ended, once everything has stopped.
export async function renderTui(
  run: Run,
  streams: { stdout: NodeJS.WriteStream; stdin: NodeJS.ReadStream },
  look: { replay: string; color: boolean; load?: LoadSwitch },
): Promise<RunOutcome> {
  const store = new TuiStore({
    ...{ throttle: (paused: boolean) => run.controls.pauseOutput(paused), redact: run.redact },
    traffic: run.traffic,
  });
  run.events.subscribe(store.handle);
  look.load?.listen((loads, notice) => store.patch({ loads, notice }));
  const controls: TuiControls = {
    restart: (name) => void run.controls.restart(name),
    rollingRestart: () => void run.controls.rollingRestart(),
    killInstance: (name) => void run.controls.killInstance(name),
    toggleInstance: (name) => void run.controls.toggleInstance(name),
    reviveType: (type) => void run.controls.reviveType(type),
    scale: (type, delta) => void run.controls.scale(type, delta),
    toggleLoad: (type) =>
      look.load
        ? look.load.toggle(type)
        : store.patch({ notice: 'no load in this run (amnesia load works from a shell)' }),
    pauseRestarts: (paused) => run.controls.pauseRestarts(paused),
    setBalance: (mode) => {
      run.controls.setBalance(mode);
      store.patch({ balance: mode });
    },
    quit: () => void run.controls.stop('q pressed'),
    kill: () => void run.controls.kill('q pressed twice'),
  };
  const ink = render(<App store={store} controls={controls} replay={look.replay} color={look.color} />, {
    stdout: streams.stdout,
    stdin: streams.stdin,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const outcome = await run.finished;
  // let the last frame (stopped) reach the screen
  await new Promise((resolve) => setTimeout(resolve, 50));
  ink.unmount();
  return outcome;
}
