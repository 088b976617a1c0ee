// STATEFUL: uploads go to ./uploads under the app folder: on a real platform that disk is per instance
// and wiped on restart (here the instances happen to share it, so amnesia reports the write itself).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { serveUploads } from '../uploads-app.mjs';

const dir = join(import.meta.dirname, 'uploads');
serveUploads({
  name: 'uploads-local',
  save: async (name, data) => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, name), data);
  },
  load: (name) => readFile(join(dir, name)).catch(() => undefined),
});
