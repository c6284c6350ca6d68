// Readable text for JavaScript values, the way a console prints them (close to Node's
// util.inspect): objects and arrays with their contents, Maps, Sets, class names, errors
// with their stack, circular references marked instead of followed. Pure: no DOM, no
// worker APIs, so the JS runner's console and the unit tests share it.

export interface FormatOptions {
  /** Nesting below this depth prints as `[Object]` / `[Array]`. */
  maxDepth: number
  /** Array items, object keys, Map and Set entries shown before `... N more`. */
  maxItems: number
  /** Longer strings inside objects are cut with `... N more characters`. */
  maxStringLength: number
  /** A collection that fits in this width prints on one line. */
  breakLength: number
  /** How an Error prints at the top level (the runner cleans its stack). */
  errorText: (error: Error) => string
}

export const DEFAULT_FORMAT_OPTIONS: FormatOptions = {
  maxDepth: 4,
  maxItems: 100,
  maxStringLength: 10_000,
  breakLength: 72,
  errorText: defaultErrorText,
}

function defaultErrorText(error: Error): string {
  const stack = safeGet(() => error.stack)
  if (typeof stack === 'string' && stack) return stack
  return errorHeadline(error)
}

/** `TypeError: message`, never throwing, whatever the object is. */
export function errorHeadline(error: unknown): string {
  const name = safeGet(() => (error as { name?: unknown }).name)
  const message = safeGet(() => (error as { message?: unknown }).message)
  const label = typeof name === 'string' && name ? name : 'Error'
  return typeof message === 'string' && message ? `${label}: ${message}` : label
}

function safeGet<T>(read: () => T): T | undefined {
  try {
    return read()
  } catch {
    return undefined
  }
}

/** A value as source-like text: strings quoted, objects expanded (like `util.inspect`). */
export function inspect(value: unknown, options: Partial<FormatOptions> = {}): string {
  const opts = { ...DEFAULT_FORMAT_OPTIONS, ...options }
  return formatAny(value, opts, 0, [], true)
}

/**
 * One console call's arguments as one line of output: strings as they are, other values
 * inspected, joined by spaces; a first string with `%s %d %i %f %o %O %j %c %%` is a
 * format string, as in browsers and Node.
 */
export function formatLogArgs(args: readonly unknown[], options: Partial<FormatOptions> = {}): string {
  const opts = { ...DEFAULT_FORMAT_OPTIONS, ...options }
  const parts: string[] = []
  let rest = args
  if (typeof args[0] === 'string' && args.length > 1 && args[0].includes('%')) {
    const [text, used] = applyFormatString(args[0], args.slice(1), opts)
    parts.push(text)
    rest = args.slice(1 + used)
  } else if (args.length > 0) {
    parts.push(formatTopLevel(args[0], opts))
    rest = args.slice(1)
  }
  for (const value of rest) parts.push(formatTopLevel(value, opts))
  return parts.join(' ')
}

function formatTopLevel(value: unknown, opts: FormatOptions): string {
  if (typeof value === 'string') return value
  return formatAny(value, opts, 0, [], true)
}

function applyFormatString(format: string, args: readonly unknown[], opts: FormatOptions): [string, number] {
  let used = 0
  const text = format.replace(/%([sdifoOjc%])/g, (match, kind: string) => {
    if (kind === '%') return '%'
    if (used >= args.length) return match
    const arg = args[used++]
    switch (kind) {
      case 's':
        if (typeof arg === 'string') return arg
        if (typeof arg === 'bigint') return `${arg}n`
        if (typeof arg === 'symbol') return arg.toString()
        if (arg !== null && typeof arg === 'object') return formatAny(arg, { ...opts, maxDepth: 1 }, 0, [], false)
        return String(arg)
      case 'd':
      case 'i': {
        if (typeof arg === 'bigint') return `${arg}n`
        if (typeof arg === 'symbol') return 'NaN'
        const n = Number(arg)
        return kind === 'i' ? String(Math.trunc(n)) : formatNumber(n)
      }
      case 'f':
        return typeof arg === 'symbol' ? 'NaN' : String(Number.parseFloat(String(arg)))
      case 'c':
        return ''
      default: // o O j
        return formatAny(arg, opts, 0, [], false)
    }
  })
  return [text, used]
}

function formatNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n)
}

function quoteString(text: string, opts: FormatOptions): string {
  let body = text
  let suffix = ''
  if (body.length > opts.maxStringLength) {
    suffix = `... ${body.length - opts.maxStringLength} more characters`
    body = body.slice(0, opts.maxStringLength)
  }
  const quote = body.includes("'") && !body.includes('"') ? '"' : "'"
  const escaped = body.replace(/[\\\n\r\t\b\f\v\0]/g, (c) => ESCAPES[c] ?? c).split(quote).join(`\\${quote}`)
  return `${quote}${escaped}${quote}${suffix}`
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
  '\0': '\\0',
}

function formatKey(key: string | symbol, opts: FormatOptions): string {
  if (typeof key === 'symbol') return `[${key.toString()}]`
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quoteString(key, opts)
}

function functionLabel(fn: Function): string {
  const source = safeGet(() => Function.prototype.toString.call(fn)) ?? ''
  const name = safeGet(() => fn.name)
  if (/^class\b/.test(source)) return name ? `[class ${name}]` : '[class (anonymous)]'
  const kind = safeGet(() => Object.getPrototypeOf(fn)?.constructor?.name)
  const label = typeof kind === 'string' && /^(Async)?(Generator)?Function$/.test(kind) ? kind : 'Function'
  return name ? `[${label}: ${name}]` : `[${label} (anonymous)]`
}

function constructorName(value: object): string | null {
  const proto = safeGet(() => Object.getPrototypeOf(value))
  if (proto === null) return null
  const name = safeGet(() => proto?.constructor?.name)
  return typeof name === 'string' ? name : ''
}

function prefixFor(value: object, fallback: string): string {
  const name = constructorName(value)
  if (name === null) return `[${fallback}: null prototype] `
  if (name === '' || name === fallback) return fallback === 'Object' ? '' : `${fallback} `
  return `${name} `
}

function formatAny(value: unknown, opts: FormatOptions, depth: number, seen: object[], top: boolean): string {
  switch (typeof value) {
    case 'string':
      return quoteString(value, opts)
    case 'number':
      return formatNumber(value)
    case 'bigint':
      return `${value}n`
    case 'boolean':
    case 'undefined':
      return String(value)
    case 'symbol':
      return value.toString()
    case 'function':
      return formatObject(value, opts, depth, seen, top)
    default:
      if (value === null) return 'null'
      return formatObject(value as object, opts, depth, seen, top)
  }
}

function formatObject(value: object, opts: FormatOptions, depth: number, seen: object[], top: boolean): string {
  if (seen.includes(value)) return '[Circular]'
  try {
    seen.push(value)
    return describeObject(value, opts, depth, seen, top)
  } catch {
    return '[object (could not be inspected)]'
  } finally {
    seen.pop()
  }
}

function describeObject(value: object, opts: FormatOptions, depth: number, seen: object[], top: boolean): string {
  if (typeof value === 'function') {
    const label = functionLabel(value)
    const entries = propertyEntries(value, opts, depth, seen, ['length', 'name', 'prototype'])
    return entries.length ? wrap(`${label} `, '{', '}', entries, opts) : label
  }
  if (value instanceof Error) {
    if (top) return opts.errorText(value)
    return `[${errorHeadline(value)}]`
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()
  if (value instanceof RegExp) return String(value)
  if (value instanceof Number || value instanceof String || value instanceof Boolean) {
    const kind = value instanceof Number ? 'Number' : value instanceof String ? 'String' : 'Boolean'
    return `[${kind}: ${formatAny(value.valueOf(), opts, depth, seen, false)}]`
  }
  if (value instanceof Promise) return 'Promise { <pending or settled> }'
  if (value instanceof WeakMap) return 'WeakMap { <items unknown> }'
  if (value instanceof WeakSet) return 'WeakSet { <items unknown> }'

  const tooDeep = depth >= opts.maxDepth
  if (Array.isArray(value)) {
    const prefix = prefixFor(value, 'Array').replace(/^Array $/, '')
    if (tooDeep) return value.length === 0 ? '[]' : '[Array]'
    return wrap(prefix, '[', ']', arrayEntries(value, opts, depth, seen), opts, true)
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const typed = value as unknown as ArrayLike<number | bigint>
    const name = constructorName(value) || 'TypedArray'
    if (tooDeep) return `[${name}]`
    const items: string[] = []
    const shown = Math.min(typed.length, opts.maxItems)
    for (let i = 0; i < shown; i++) items.push(formatAny(typed[i], opts, depth + 1, seen, false))
    if (typed.length > shown) items.push(more(typed.length - shown, 'item'))
    return wrap(`${name}(${typed.length}) `, '[', ']', items, opts, true)
  }
  if (value instanceof ArrayBuffer) return `ArrayBuffer { byteLength: ${value.byteLength} }`
  if (value instanceof Map) {
    if (tooDeep) return '[Map]'
    const items: string[] = []
    let count = 0
    for (const [k, v] of value) {
      if (count++ >= opts.maxItems) break
      items.push(`${formatAny(k, opts, depth + 1, seen, false)} => ${formatAny(v, opts, depth + 1, seen, false)}`)
    }
    if (value.size > opts.maxItems) items.push(more(value.size - opts.maxItems, 'item'))
    return wrap(`${prefixFor(value, 'Map').trim()}(${value.size}) `, '{', '}', items, opts)
  }
  if (value instanceof Set) {
    if (tooDeep) return '[Set]'
    const items: string[] = []
    let count = 0
    for (const v of value) {
      if (count++ >= opts.maxItems) break
      items.push(formatAny(v, opts, depth + 1, seen, false))
    }
    if (value.size > opts.maxItems) items.push(more(value.size - opts.maxItems, 'item'))
    return wrap(`${prefixFor(value, 'Set').trim()}(${value.size}) `, '{', '}', items, opts, true)
  }

  const prefix = prefixFor(value, 'Object')
  if (tooDeep) return `[${prefix.trim() || 'Object'}]`
  return wrap(prefix, '{', '}', propertyEntries(value, opts, depth, seen, []), opts)
}

function more(count: number, noun: string): string {
  return `... ${count} more ${noun}${count === 1 ? '' : 's'}`
}

function arrayEntries(array: readonly unknown[], opts: FormatOptions, depth: number, seen: object[]): string[] {
  const items: string[] = []
  let holes = 0
  const flushHoles = () => {
    if (holes > 0) items.push(`<${holes} empty item${holes === 1 ? '' : 's'}>`)
    holes = 0
  }
  let i = 0
  for (; i < array.length && items.length < opts.maxItems; i++) {
    if (!Object.prototype.hasOwnProperty.call(array, i)) {
      holes++
      continue
    }
    flushHoles()
    items.push(formatAny(array[i], opts, depth + 1, seen, false))
  }
  flushHoles()
  if (i < array.length) items.push(more(array.length - i, 'item'))
  // Extra named properties on an array (rare, but shown like Node does).
  for (const key of Object.keys(array)) {
    if (!/^\d+$/.test(key)) items.push(`${formatKey(key, opts)}: ${formatAny((array as unknown as Record<string, unknown>)[key], opts, depth + 1, seen, false)}`)
  }
  return items
}

function propertyEntries(value: object, opts: FormatOptions, depth: number, seen: object[], skip: string[]): string[] {
  const keys = Reflect.ownKeys(value).filter((key) => {
    if (typeof key === 'string' && skip.includes(key)) return false
    return Object.getOwnPropertyDescriptor(value, key)?.enumerable ?? false
  })
  const items: string[] = []
  for (const key of keys.slice(0, opts.maxItems)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key)!
    let text: string
    if (descriptor.get || descriptor.set) {
      text = descriptor.get && descriptor.set ? '[Getter/Setter]' : descriptor.get ? '[Getter]' : '[Setter]'
    } else {
      text = formatAny(descriptor.value, opts, depth + 1, seen, false)
    }
    items.push(`${formatKey(key, opts)}: ${text}`)
  }
  if (keys.length > opts.maxItems) items.push(more(keys.length - opts.maxItems, 'key'))
  return items
}

/**
 * `prefix{ a, b }` on one line when it fits, otherwise one entry per line (or, for lists
 * of short items such as numbers, as many per line as fit), indented by two spaces.
 */
function wrap(prefix: string, open: string, close: string, items: string[], opts: FormatOptions, pack = false): string {
  if (items.length === 0) return `${prefix}${open}${close}`
  const oneLine = `${prefix}${open} ${items.join(', ')} ${close}`
  if (oneLine.length <= opts.breakLength && !items.some((item) => item.includes('\n'))) return oneLine
  const lines: string[] = []
  const width = opts.breakLength - 2
  const tail = items[items.length - 1].startsWith('... ') ? items[items.length - 1] : null
  const packed = tail ? items.slice(0, -1) : items
  if (pack && packed.length > 6 && packed.every((item) => item.length <= 16 && !item.includes('\n'))) {
    let line = ''
    for (const item of packed) {
      const piece = `${item},`
      if (line && line.length + 1 + piece.length > width) {
        lines.push(line)
        line = piece
      } else {
        line = line ? `${line} ${piece}` : piece
      }
    }
    if (line) lines.push(line)
    if (tail) lines.push(tail)
    else lines[lines.length - 1] = lines[lines.length - 1].replace(/,$/, '')
  } else {
    items.forEach((item, index) => lines.push(index < items.length - 1 ? `${item},` : item))
  }
  const body = lines.map((line) => line.replace(/^/gm, '  ')).join('\n')
  return `${prefix}${open}\n${body}\n${close}`
}
