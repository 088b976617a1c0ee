// STATEFUL: uploads go to the temp dir, which is private to each instance (as on separate hosts).
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { serveUploads } from '../uploads-app.mjs';

serveUploads({
  name: 'uploads-tmp',
  save: (name, data) => writeFile(join(tmpdir(), name), data),
  load: (name) => readFile(join(tmpdir(), name)).catch(() => undefined),
});
