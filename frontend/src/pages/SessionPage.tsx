import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { ApiError, getSession, inviteLink, type Session } from '../api'
import { connectPad, type PadConnection } from '../collab/padConnection'
import { CONNECTION_LABELS } from '../connection'
import { CollaborativeEditor } from '../components/CollaborativeEditor'
import { ConnectionIndicator } from '../components/ConnectionIndicator'
import { CopyLinkButton } from '../components/CopyLinkButton'
import { LanguageSelect } from '../components/LanguageSelect'
import { NamePrompt } from '../components/NamePrompt'
import { OutputPanel } from '../components/OutputPanel'
import { ParticipantList } from '../components/ParticipantList'
import { TopBar } from '../components/TopBar'
import { useConnectionStatus, useEverSynced, useParticipants, useSharedLanguage, useTerminalClose } from '../hooks/usePad'
import { useCodeRunner, useRemoteRunners, useRuns } from '../hooks/useRunner'
import { loadName, loadPreferredColor, roleFor, saveName } from '../identity'
import { DEFAULT_LANGUAGE, isRunnable } from '../languages'
import { isRunnableLanguage, JS_TIME_LIMIT_MS, PYTHON_TIME_LIMIT_MS } from '../run/codeRunner'
import { appendRun, clearRuns, makeRunEntry } from '../run/runs'
import type { Theme } from '../theme'
import { NotFound } from './NotFound'

interface Props {
  sessionId: string
  theme: Theme
  onToggleTheme: () => void
}

type Load = { state: 'loading' } | { state: 'ready'; session: Session } | { state: 'missing' } | { state: 'error'; message: string }

export function SessionPage({ sessionId, theme, onToggleTheme }: Props) {
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let cancelled = false
    setLoad({ state: 'loading' })
    getSession(sessionId).then(
      (session) => !cancelled && setLoad({ state: 'ready', session }),
      (err) => {
        if (cancelled) return
        if (err instanceof ApiError && err.isNotFound) setLoad({ state: 'missing' })
        else setLoad({ state: 'error', message: err instanceof ApiError ? err.detail : 'Could not reach the server.' })
      },
    )
    return () => {
      cancelled = true
    }
  }, [sessionId, attempt])

  if (load.state === 'missing') {
    return (
      <>
        <TopBar theme={theme} onToggleTheme={onToggleTheme} />
        <NotFound
          title="Session not found or deleted"
          message="This interview pad does not exist any more, or the link is mistyped. Ask the interviewer for a new link."
        />
      </>
    )
  }
  if (load.state !== 'ready') {
    return (
      <>
        <TopBar theme={theme} onToggleTheme={onToggleTheme} />
        <main className="centered">
          {load.state === 'loading' ? (
            <div className="spinner" aria-label="Loading" />
          ) : (
            <div className="card notice" role="alert">
              <h1>Could not load this session</h1>
              <p className="muted">{load.message}</p>
              <button type="button" className="button primary" onClick={() => setAttempt((n) => n + 1)}>
                Try again
              </button>
            </div>
          )}
        </main>
      </>
    )
  }
  return <SessionWorkspace key={sessionId} session={load.session} sessionId={sessionId} theme={theme} onToggleTheme={onToggleTheme} />
}

interface WorkspaceProps extends Props {
  session: Session
}

function SessionWorkspace({ session, sessionId, theme, onToggleTheme }: WorkspaceProps) {
  const role = useMemo(() => roleFor(sessionId), [sessionId])
  const [name, setName] = useState<string | null>(() => loadName())
  const [renaming, setRenaming] = useState(false)
  const [pad, setPad] = useState<PadConnection | null>(null)

  // Connect once we know the name, so others never see a nameless cursor. A rename later
  // only updates awareness (next effect); it must not reconnect, hence hasName, not name.
  const hasName = name !== null
  useEffect(() => {
    if (!hasName) return
    const connection = connectPad(sessionId, { name: loadName() ?? 'Anonymous', color: loadPreferredColor(), role })
    setPad(connection)
    return () => {
      setPad(null)
      connection.destroy()
    }
  }, [sessionId, role, hasName])

  useEffect(() => {
    if (pad && name) {
      const current = pad.provider.awareness.getLocalState()?.user as { color?: string } | undefined
      pad.setUser({ name, role, color: current?.color ?? loadPreferredColor() })
    }
  }, [pad, name, role])

  const participants = useParticipants(pad)
  const status = useConnectionStatus(pad)
  const everSynced = useEverSynced(pad)
  const closeCode = useTerminalClose(pad)
  const [language, setLanguage] = useSharedLanguage(pad, session.language || DEFAULT_LANGUAGE)
  const link = inviteLink(location.origin, sessionId)
  const title = session.title || 'Untitled session'

  useEffect(() => {
    document.title = `${title} · interview pad`
    return () => {
      document.title = 'interview pad'
    }
  }, [title])

  const [runner, runnerState] = useCodeRunner()
  const runs = useRuns(pad)
  const remoteRunners = useRemoteRunners(pad)
  const runnable = isRunnable(language) && isRunnableLanguage(language)

  const runCode = useCallback(async () => {
    if (!pad || !runner || runner.isBusy() || !everSynced || !isRunnableLanguage(language)) return
    const code = pad.code.toString()
    const awareness = pad.provider.awareness
    awareness.setLocalStateField('running', { language })
    try {
      const result = await runner.run(language, code)
      if (runner.isDisposed()) return
      const user = (awareness.getLocalState()?.user ?? {}) as { name?: string; color?: string }
      const entry = makeRunEntry({
        id: result.id,
        by: { name: user.name || name || 'Anonymous', color: user.color || loadPreferredColor() },
        language: result.language,
        stdout: result.stdout,
        stderr: result.stderr,
        status: result.status,
        message: result.message,
        durationMs: result.durationMs,
        truncated: result.truncated,
      })
      appendRun(pad.doc, pad.runs, entry)
    } catch {
      // The page is going away (runner disposed) or a run was already in progress.
    } finally {
      if (awareness.getLocalState()) awareness.setLocalStateField('running', null)
    }
  }, [pad, runner, everSynced, language, name])

  // Ctrl/Cmd+Enter runs from anywhere on the page, the editor included (captured before
  // Monaco sees it, where it would insert a line).
  const runRef = useRef(runCode)
  runRef.current = runCode
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return
      if (event.target instanceof Element && event.target.closest('.modal')) return
      event.preventDefault()
      event.stopPropagation()
      void runRef.current()
    }
    window.addEventListener('keydown', onKeyDown, true)
    return () => window.removeEventListener('keydown', onKeyDown, true)
  }, [])

  const acceptName = (value: string) => {
    setName(saveName(value))
    setRenaming(false)
  }

  return (
    <div className="session-page">
      <TopBar
        theme={theme}
        onToggleTheme={onToggleTheme}
        title={
          <>
            <span className="session-name" title={title}>
              {title}
            </span>
            <span className={`role role-${role}`}>{role}</span>
          </>
        }
      >
        <ConnectionIndicator status={status} />
        <LanguageSelect value={language} onChange={setLanguage} disabled={!pad} />
        <CopyLinkButton link={link} />
      </TopBar>

      <main className="workspace">
        <section className="editor-pane">
          {closeCode === 4404 ? (
            <div className="banner banner-danger" role="alert">
              This session was deleted. Your copy stays on screen, but edits are no longer shared or saved.
            </div>
          ) : (
            status !== 'connected' &&
            everSynced && (
              <div className={`banner banner-${status}`} role="status">
                {CONNECTION_LABELS[status]}
              </div>
            )
          )}
          {pad ? <CollaborativeEditor pad={pad} language={language} theme={theme} /> : <div className="editor-placeholder" />}
          <OutputPanel
            language={language}
            runnable={runnable}
            ready={pad !== null && runner !== null && everSynced}
            runs={runs}
            live={runnerState.live}
            python={runnerState.python}
            remoteRunners={remoteRunners}
            limitSeconds={(language === 'python' ? PYTHON_TIME_LIMIT_MS : JS_TIME_LIMIT_MS) / 1000}
            onRun={() => void runCode()}
            onStop={() => runner?.stop()}
            onClear={() => pad && clearRuns(pad.doc, pad.runs)}
          />
        </section>
        <aside className="side-panel">
          <ParticipantList participants={participants} onRename={() => setRenaming(true)} />
          <section className="panel">
            <h2 className="panel-title">Invite</h2>
            <p className="muted small">Anyone with this link joins as a candidate.</p>
            <input className="input mono small" readOnly value={link} onFocus={(event) => event.target.select()} aria-label="Invite link" />
          </section>
        </aside>
      </main>

      {(!hasName || renaming) && (
        <NamePrompt
          role={role}
          initialName={name ?? ''}
          onSubmit={acceptName}
          onCancel={hasName ? () => setRenaming(false) : undefined}
        />
      )}
    </div>
  )
}
