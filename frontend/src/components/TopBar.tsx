import type { ReactNode } from 'react'
import { navigate } from '../router'
import type { Theme } from '../theme'
import { Logo } from './Icons'
import { ThemeToggle } from './ThemeToggle'

interface Props {
  theme: Theme
  onToggleTheme: () => void
  /** Shown after the brand, e.g. the session title. */
  title?: ReactNode
  /** Controls on the right, before the theme toggle. */
  children?: ReactNode
}

export function TopBar({ theme, onToggleTheme, title, children }: Props) {
  return (
    <header className="topbar">
      <a
        className="brand"
        href="/"
        // Named even where its words are hidden (phone width).
        aria-label="interview pad home"
        onClick={(event) => {
          if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
          event.preventDefault()
          navigate('/')
        }}
      >
        <Logo />
        <span>interview pad</span>
      </a>
      {title && <div className="topbar-title">{title}</div>}
      <div className="topbar-actions">
        {children}
        <ThemeToggle theme={theme} onToggle={onToggleTheme} />
      </div>
    </header>
  )
}
