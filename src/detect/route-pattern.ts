const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f]{8,}$/i;
const DIGITS = /\d{4,}|^\d+$/;
const TOKEN = /^[A-Za-z0-9_-]{20,}$/;
/** a short word and a number: `sku405`, `order-17`, `user_8`; not an API version such as `v2` or `v10` */
const PREFIXED = /^[A-Za-z]{1,16}(?:[-_]\d+|\d{3,})$/;

// `GET /users/42?x=1` -> `GET /users/:id`: ids, hashes, long numbers and tokens become `:id`, so a finding
// names the route, not every id it was seen with.
export function routePattern(method: string, path: string): string {
  const bare = path.split('?')[0] ?? '/';
  const segments = bare.split('/').map((segment) => {
    const stem = segment.replace(/\.[A-Za-z0-9]{1,5}$/, '');
    return segment !== '' &&
      (UUID.test(stem) ||
        HEX.test(stem) ||
        DIGITS.test(stem) ||
        PREFIXED.test(stem) ||
        (TOKEN.test(stem) && /\d/.test(stem)))
      ? ':id'
      : segment;
  });
  return `${method} ${segments.join('/') || '/'}`;
}
