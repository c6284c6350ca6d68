// Standard streams of a WASI program (Ruby, and C/C++ programs) in the browser shim: stdin
// reads the run's input, stdout and stderr stream into the run's output as they are written.

import { ConsoleStdout, Fd, wasi } from '@bjorn3/browser_wasi_shim'
import { byteWriter, StdinBytes, type RunIO } from './runtime'

/** fd 0: a character device reading from whatever `source()` holds now. */
export class StdinFd extends Fd {
  constructor(private readonly source: () => StdinBytes | null) {
    super()
  }
  fd_fdstat_get() {
    const fdstat = new wasi.Fdstat(wasi.FILETYPE_CHARACTER_DEVICE, 0)
    fdstat.fs_rights_base = BigInt(wasi.RIGHTS_FD_READ)
    return { ret: 0, fdstat }
  }
  fd_filestat_get() {
    return { ret: 0, filestat: new wasi.Filestat(0n, wasi.FILETYPE_CHARACTER_DEVICE, 0n) }
  }
  fd_read(size: number) {
    const data = this.source()?.read(size) ?? new Uint8Array(0)
    return { ret: 0, data }
  }
}

/** fd 1 or 2: writes go to the current run's output at once (no buffering here). */
export function outputFd(current: () => RunIO | null, stream: 'stdout' | 'stderr'): ConsoleStdout {
  let io: RunIO | null = null
  let write: ((bytes: Uint8Array) => void) | null = null
  return new ConsoleStdout((bytes) => {
    const now = current()
    if (!now) return
    if (now !== io) {
      io = now
      write = byteWriter(now, stream)
    }
    write!(bytes)
  })
}
