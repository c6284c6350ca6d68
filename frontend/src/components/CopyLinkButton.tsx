import { useEffect, useState } from 'react'
import { CheckIcon, LinkIcon } from './Icons'

/** Clipboard API where allowed (https or localhost), else the old textarea trick. */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // permission denied: try the fallback
  }
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.appendChild(area)
  area.select()
  let ok = false
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  area.remove()
  return ok
}

export function CopyLinkButton({ link }: { link: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), 2000)
    return () => clearTimeout(timer)
  }, [state])

  return (
    <button
      type="button"
      className="button"
      data-testid="copy-link"
      data-link={link}
      data-state={state}
      title={link}
      onClick={async () => {
        if (await copyText(link)) setState('copied')
        else {
          setState('failed')
          // Last resort: let the person copy it by hand.
          window.prompt('Copy this invite link:', link)
        }
      }}
    >
      {state === 'copied' ? <CheckIcon /> : <LinkIcon />}
      <span>{state === 'copied' ? 'Copied!' : 'Copy invite link'}</span>
    </button>
  )
}
