// Download the code as a file with its language's extension.

import { codeFileName, downloadText } from '../codeFile'
import type { PadConnection } from '../collab/padConnection'

export function DownloadCodeButton({ pad, title, language }: { pad: PadConnection | null; title: string; language: string }) {
  const fileName = codeFileName(title, language)
  return (
    <button
      type="button"
      className="button"
      data-testid="download-code"
      data-file-name={fileName}
      disabled={!pad}
      aria-label={`Download the code as ${fileName}`}
      title={`Download the code as ${fileName}`}
      onClick={() => pad && downloadText(pad.code.toString(), fileName)}
    >
      <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        <path d="M12 3v12m0 0 5-5m-5 5-5-5M4 21h16" />
      </svg>
      <span>Download</span>
    </button>
  )
}
