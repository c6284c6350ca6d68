import { useEffect, useState } from 'react'
import { CheckIcon, LinkIcon } from './Icons'

/** Clipboard API where allowed (https or localhost), else the old textarea trick. */
export async function copyText(text: string): Promise<boolean> {
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

interface Props {
  link: string
  label?: string
  testId?: string
  /** What the link is, for the fallback prompt and the tooltip. */
  what?: string
  className?: string
}

export function CopyLinkButton({ link, label = 'Copy invite link', testId = 'copy-link', what = 'invite link', className = 'button' }: Props) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), 2000)
    return () => clearTimeout(timer)
  }, [state])

  return (
    <button
      type="button"
      className={className}
      data-testid={testId}
      data-link={link}
      data-state={state}
      title={`Copy the ${what}`}
      // Its name is what it does, even where the words are hidden (phone width): never the link.
      aria-label={state === 'copied' ? `${label}: copied` : label}
      onClick={async () => {
        if (await copyText(link)) setState('copied')
        else {
          setState('failed')
          // Last resort: let the person copy it by hand.
          window.prompt(`Copy this ${what}:`, link)
        }
      }}
    >
      {state === 'copied' ? <CheckIcon /> : <LinkIcon />}
      <span>{state === 'copied' ? 'Copied!' : label}</span>
    </button>
  )
}
