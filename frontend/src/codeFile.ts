// Downloading the code: the shared text as it is in this browser now, in a file named after
// the session with its language's extension (the server's list: sessions_app/languages.py).

/** File extension of each language (ids of languages.ts). */
export const EXTENSIONS: Readonly<Record<string, string>> = {
  javascript: 'js',
  typescript: 'ts',
  python: 'py',
  java: 'java',
  c: 'c',
  cpp: 'cpp',
  csharp: 'cs',
  go: 'go',
  rust: 'rs',
  ruby: 'rb',
  kotlin: 'kt',
  swift: 'swift',
  php: 'php',
  sql: 'sql',
  lua: 'lua',
  postgresql: 'sql',
  plaintext: 'txt',
}

export function extensionFor(language: string): string {
  return EXTENSIONS[language] ?? 'txt'
}

/** `two-sum.py` from the title, `solution.py` when the title gives no usable name. */
export function codeFileName(title: string, language: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  const name = base && base !== 'untitled-session' ? base : 'solution'
  return `${name}.${extensionFor(language)}`
}

/** Save `text` as a file in the browser (no server round trip: it is exactly what is shown). */
export function downloadText(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
