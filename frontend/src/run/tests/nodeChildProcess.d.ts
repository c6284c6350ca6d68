// The one Node API the harness's unit tests use (they run the generated programs with real
// interpreters); the app's tsconfig has browser types only.
declare module 'node:child_process' {
  export function execFileSync(file: string, args: readonly string[], options: { encoding: 'utf8'; stdio?: readonly string[] }): string
}
