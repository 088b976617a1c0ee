import { execFileSync } from 'node:child_process';

// The end-to-end tests use real servers: say what is missing before a hundred tests fail obscurely.
export default function setup(): void {
  const missing = ['redis-server', 'ps', 'ss', 'tmux'].filter((tool) => {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    throw new Error(
      `the end-to-end tests need ${missing.join(', ')}: apt-get install -y redis-server procps iproute2 tmux (as .ci/run does)`,
    );
  }
}
