// A run's error is often already the last line of its stderr (Python's traceback ends with
// "ZeroDivisionError: division by zero"), and its `message` says it again with the line
// ("ZeroDivisionError: division by zero (line 2)"). Shown once: the message takes that
// line's place in the output instead of being printed again below it.

export interface ErrorEcho {
  /** stderr before the repeated line (its line break included). */
  before: string
  /** stderr after it (from its line break on). */
  after: string
}

/** Where `message` repeats a line of `stderr`, or null when it says something new. */
export function findErrorEcho(stderr: string, message: string | undefined): ErrorEcho | null {
  if (!message || !stderr) return null
  const headline = message.replace(/ \(line \d+\)$/, '')
  const lines = stderr.split('\n')
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trimEnd()
    if (line === headline || line === message || line === `Uncaught ${headline}`) {
      const before = lines.slice(0, i).map((text) => `${text}\n`).join('')
      const after = i < lines.length - 1 ? `\n${lines.slice(i + 1).join('\n')}` : ''
      return { before, after }
    }
  }
  return null
}
