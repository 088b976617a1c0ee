import type { FileKind } from './file-kind.js';
import { uses, type Stack } from './stack.js';

// The one-line fix of a finding, chosen by what was seen (cookie names, file kinds) and by the libraries the
// app's manifest names: the change is named at the level of the library in use, not as a principle.

const SESSION_STORES = [
  'connect-redis',
  'connect-mongo',
  'connect-pg-simple',
  'connect-session-sequelize',
  'connect-memcached',
  'connect-dynamodb',
  '@quixo3/prisma-session-store',
];

export function sessionHint(stack: Stack, cookies: readonly string[], authorization: boolean): string {
  const has = (pattern: RegExp): boolean => cookies.some((name) => pattern.test(name));
  if (has(/^connect\.sid$/) || uses(stack, 'express-session')) {
    return uses(stack, ...SESSION_STORES)
      ? "express-session's store is not shared by every instance: point its store (e.g. connect-redis) at the same Redis for all of them"
      : 'express-session keeps sessions in its default MemoryStore, one per process: pass a shared store (store: new RedisStore({ client }) from connect-redis), or keep the session in a signed cookie with cookie-session';
  }
  if (has(/^sessionid$/i) || uses(stack, 'django')) {
    return "Django's session engine keeps sessions in one process or host (locmem cache, file backend): use SESSION_ENGINE = 'django.contrib.sessions.backends.cache' with a shared Redis or Memcached CACHES backend, or the db backend";
  }
  if (uses(stack, 'flask-session'))
    return "Flask-Session with SESSION_TYPE = 'filesystem' (or cachelib's SimpleCache) keeps sessions on one instance: set SESSION_TYPE = 'redis' and SESSION_REDIS";
  if (has(/^(_.*_session|rack\.session|_session_id)$/) || uses(stack, 'rails')) {
    return 'the Rails session store keeps sessions in one process (:cache_store on :memory_store, or a file store): use the default :cookie_store, or :cache_store backed by :redis_cache_store';
  }
  if (has(/^phpsessid$/i))
    return "PHP's default session.save_handler = files keeps sessions on one host: set session.save_handler = redis (phpredis) or a database handler";
  if (has(/^jsessionid$/i))
    return "the servlet container's HttpSession lives in one JVM: use Spring Session with spring-session-data-redis (or JDBC)";
  if (has(/^laravel_session$/i))
    return 'SESSION_DRIVER=file (or array) keeps sessions on one host: set SESSION_DRIVER=redis or database';
  if (authorization && cookies.length === 0) {
    return 'the token in the Authorization header is looked up in process memory: issue self-contained signed tokens (JWT) or keep tokens in a shared store (Redis, the database)';
  }
  if (stack.language === 'python')
    return "the session (or login) is kept in one process (a module-level dict, a per-worker cache): keep it in Redis or the database, or in a signed cookie (Flask's default session)";
  return 'the session lived in one process: keep sessions in a shared store (Redis, the database) or in a signed cookie, not in process memory';
}

export function objectHint(stack: Stack, inTempDir: boolean): string {
  if (uses(stack, 'multer') && !uses(stack, 'multer-s3')) {
    return "multer's dest (diskStorage) saves uploads to this instance's disk: store them with multer-s3, or take them in memoryStorage and put them in object storage (S3, GCS)";
  }
  if (inTempDir)
    return "the file was written to the instance's temp dir, which no other host sees: put it in object storage (S3, GCS) or the database, and keep the temp dir for one request's scratch work";
  if (stack.language === 'python')
    return 'the object lives in one worker (a module-level dict or list, or a local file): store it in the database or Redis, and files in object storage';
  return 'the object exists on one instance only (process memory, temp dir or a local folder): keep it in shared storage (a database, Redis, S3)';
}

export function cacheHint(stack: Stack): string {
  if (uses(stack, 'node-cache', 'lru-cache', 'memory-cache', 'quick-lru', 'memoizee')) {
    return 'node-cache / lru-cache hold a copy per process and a write invalidates only its own: cache in Redis (one copy for all), or publish invalidations over Redis pub/sub';
  }
  if (uses(stack, 'flask-caching'))
    return "Flask-Caching's SimpleCache (the default) is per process: set CACHE_TYPE = 'RedisCache' with CACHE_REDIS_URL";
  if (/memory_store|file_store/.test(stack.text))
    return 'config.cache_store = :memory_store (or :file_store) is per process or host: use :redis_cache_store or :mem_cache_store';
  return 'a per-process cache (or counter) answers with its own copy, and a write invalidates only the instance that served it: cache in Redis (one copy for all), or invalidate every copy through pub/sub';
}

export function socketIoHint(stack: Stack): string {
  if (uses(stack, 'flask-socketio', 'python-socketio')) {
    return "Flask-SocketIO's long-polling session (sid) lives in the process that opened it: make balancing sticky or use transports=['websocket'] only, and pass message_queue='redis://...' so emits reach every instance";
  }
  return "socket.io's long-polling session (sid) lives in the process that opened it: connect with transports: ['websocket'] (or make the load balancer sticky), and add @socket.io/redis-adapter so broadcasts reach sockets on other instances";
}

export function broadcastHint(stack: Stack): string {
  if (uses(stack, 'socket.io'))
    return "socket.io's default adapter keeps rooms in one process: add @socket.io/redis-adapter (io.adapter(createAdapter(pub, sub))) so a room spans every instance";
  if (uses(stack, 'channels'))
    return 'Django Channels with InMemoryChannelLayer reaches one process: use channels_redis (RedisChannelLayer)';
  if (uses(stack, 'actioncable', 'rails'))
    return "Action Cable's async adapter reaches one process: set adapter: redis in config/cable.yml";
  return "rooms (the sockets to deliver to) are kept in one process's memory: publish each message through a shared broker (Redis pub/sub, NATS) and deliver it to the room's sockets on every instance";
}

export function fileHint(stack: Stack, kind: FileKind, inTempDir: boolean): string {
  switch (kind) {
    case 'database':
      return "a SQLite database file is one host's disk: every host gets its own copy, and a restarted container starts empty. Use a database server (PostgreSQL, MySQL) through DATABASE_URL";
    case 'log':
      return 'logs written to a file stay on one host and fill its disk: write them to stdout and let the platform route them (factor XI), e.g. a logger with a stdout transport';
    case 'session':
      return sessionHint(stack, [], false);
    case 'cache':
      return cacheHint(stack);
    case 'upload':
      return objectHint(stack, inTempDir).replace('the object', 'the file');
  }
}
