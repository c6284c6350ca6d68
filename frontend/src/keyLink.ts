// Secret links: `/session/<id>#key=<key>`. The key rides in the fragment, which browsers
// never send to a server (nor put in a Referer); the page trades it for this browser's
// HttpOnly role cookie (POST /api/sessions/<id>/claim) and then drops it from the address.

/** The fragment's parts, `#a=1&key=x` -> [['a', '1'], ['key', 'x']] (undecodable parts kept raw). */
function fragmentParts(hash: string): [string, string][] {
  const body = hash.startsWith('#') ? hash.slice(1) : hash
  if (!body) return []
  return body.split('&').map((part) => {
    const eq = part.indexOf('=')
    const name = eq < 0 ? part : part.slice(0, eq)
    const value = eq < 0 ? '' : part.slice(eq + 1)
    try {
      return [decodeURIComponent(name), decodeURIComponent(value)]
    } catch {
      return [name, value]
    }
  })
}

/**
 * The key of a secret link's fragment (`location.hash`), or null when there is none.
 * Whatever its shape, a present key is returned: the server says whether it is valid.
 */
export function keyFromHash(hash: string): string | null {
  const found = fragmentParts(hash).find(([name]) => name === 'key')
  if (!found) return null
  const key = found[1].trim()
  return key ? key : null
}

/** The fragment without its `key` (for history.replaceState): '' when nothing else is left. */
export function hashWithoutKey(hash: string): string {
  const body = hash.startsWith('#') ? hash.slice(1) : hash
  if (!body) return ''
  const rest = body.split('&').filter((part) => {
    const eq = part.indexOf('=')
    const name = eq < 0 ? part : part.slice(0, eq)
    return name !== 'key'
  })
  return rest.length ? `#${rest.join('&')}` : ''
}
