import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { ApiError, claimSession, endSession, getSession, inviteLink, reopenSession, updateSession, type Session } from '../api'
import { isRole, permissionsFor, sessionStateFromRest, type Role } from '../authority'
import { connectPad, type PadConnection } from '../collab/padConnection'
import { DOCUMENT_REFUSALS, noticeText, type ServerNotice } from '../collab/serverNotices'
import { CONNECTION_LABELS } from '../connection'
import { CollaborativeEditor } from '../components/CollaborativeEditor'
import { ConnectionIndicator } from '../components/ConnectionIndicator'
import { CopyLinkButton } from '../components/CopyLinkButton'
import { PencilIcon } from '../components/Icons'
import { ActivityPanel, ObserverReplayPanel } from '../components/ActivityPanel'
import { InterviewerPanel } from '../components/InterviewerPanel'
import { LanguageSelect } from '../components/LanguageSelect'
import { NamePrompt } from '../components/NamePrompt'
import { OutputPanel } from '../components/OutputPanel'
import { PeopleList } from '../components/PeopleList'
import { DownloadCodeButton } from '../components/DownloadCodeButton'
import { ElapsedTime } from '../components/ElapsedTime'
import { FollowBanner } from '../components/FollowBanner'
import { QuestionControls } from '../components/QuestionControls'
import { QuestionPanel } from '../components/QuestionPanel'
import { RunTestsButton } from '../components/RunTestsButton'
import { StarterOfferBanner } from '../components/StarterOfferBanner'
import { TestsViewProvider, type TestsView } from '../components/TestResults'
import { TopBar } from '../components/TopBar'
import { useActivitySignals } from '../hooks/useActivitySignals'
import { useConnectionStatus, useEverSynced, useSessionState, useSharedLanguage, useTerminalClose } from '../hooks/usePad'
import { usePeople } from '../hooks/usePeople'
import { useFollow } from '../hooks/useFollow'
import { useElapsed } from '../hooks/useElapsed'
import { useLiveRunShare } from '../hooks/useLiveRunShare'
import { useSharedTitle } from '../hooks/useSharedTitle'
import { useTestRuns } from '../hooks/useTestRuns'
import { runPreface, useCodeRunner, useRemoteRunners, useRuns, useStdin, useTypeScriptService } from '../hooks/useRunner'
import { useServerLanguages, useServerRuns } from '../hooks/useServerRuns'
import { loadName, loadPreferredColor, saveName } from '../identity'
import { hashWithoutKey, keyFromHash } from '../keyLink'
import { DEFAULT_LANGUAGE } from '../languages'
import { isRunnableLanguage, runsOn } from '../run/registry'
import { runRefusalText, type ServerRunTracker } from '../run/serverRuns'
import { hideRuns, loadHiddenRuns, visibleRuns } from '../run/hiddenRuns'
import { appendRun, clearRuns, makeRunEntry } from '../run/runs'
import { attachHiddenChecks } from '../run/tests/records'
import { splitCases } from '../questions/types'
import { useSessionQuestion } from '../questions/useSessionQuestion'
import { useStarterSwitch } from '../questions/useStarterSwitch'
import type { Theme } from '../theme'
import { formatEndedAt } from '../time'
import { NotFound } from './NotFound'

interface Props {
  sessionId: string
  theme: Theme
  onToggleTheme: () => void
}

type Load =
  | { state: 'loading' }
  | { state: 'ready'; session: Session }
  | { state: 'missing' }
  | { state: 'error'; message: string }
  | { state: 'bad-key'; message: string }

/** Drop `#key=...` from the address bar (without a navigation or a history entry). */
function forgetKeyInAddress(): void {
  history.replaceState(history.state, '', location.pathname + location.search + hashWithoutKey(location.hash))
}

export function SessionPage({ sessionId, theme, onToggleTheme }: Props) {
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let cancelled = false
    setLoad({ state: 'loading' })
    const fail = (err: unknown) => {
      if (cancelled) return
      if (err instanceof ApiError && err.isNotFound) setLoad({ state: 'missing' })
      else setLoad({ state: 'error', message: err instanceof ApiError ? err.detail : 'Could not reach the server.' })
    }
    const read = () =>
      getSession(sessionId).then((session) => {
        if (!cancelled) setLoad({ state: 'ready', session })
      }, fail)

    // A secret link (interviewer or observer): trade its key for this browser's role cookie
    // first, then take the key out of the address, then read the session as that role.
    const key = keyFromHash(location.hash)
    if (!key) void read()
    else {
      claimSession(sessionId, key).then(
        () => {
          forgetKeyInAddress()
          if (!cancelled) void read()
        },
        (err) => {
          if (err instanceof ApiError && err.status === 400) {
            forgetKeyInAddress()
            if (!cancelled) setLoad({ state: 'bad-key', message: err.detail })
          } else fail(err) // kept in the address: "Try again" claims again
        },
      )
    }
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
          ) : load.state === 'bad-key' ? (
            <div className="card notice" role="alert" data-testid="bad-key">
              <h1>This secret link does not work</h1>
              <p className="muted">{load.message}</p>
              <p className="muted small">Ask the session's interviewer for a new link, or join with the plain session link.</p>
              <button type="button" className="button primary" onClick={() => setAttempt((n) => n + 1)}>
                Open the session without it
              </button>
            </div>
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

// A short message from the server (a refusal), shown for a while over the editor.
const NOTICE_MS = 6000
// Starting over with a fresh replica after a refused change: at most this often.
const REBUILD_MIN_INTERVAL_MS = 2000

function SessionWorkspace({ session: initialSession, sessionId, theme, onToggleTheme }: WorkspaceProps) {
  // The server decides the role (its answer to GET /api/sessions/<id>/); it never changes on this page.
  const role: Role = isRole(initialSession.role) ? initialSession.role : 'candidate'
  const observer = role === 'observer'
  const [session, setSession] = useState(initialSession)
  const [name, setName] = useState<string | null>(() => loadName())
  const [renaming, setRenaming] = useState(false)
  const [nameError, setNameError] = useState<string | null>(null)
  const [nameVersion, setNameVersion] = useState(0)
  const [pad, setPad] = useState<PadConnection | null>(null)
  const [generation, setGeneration] = useState(0)
  const [notice, setNotice] = useState<{ text: string; id: number } | null>(null)
  const colorRef = useRef<string>(loadPreferredColor())

  const showNotice = useCallback((text: string) => setNotice({ text, id: Date.now() }), [])
  useEffect(() => {
    if (!notice) return
    const timer = setTimeout(() => setNotice(null), NOTICE_MS)
    return () => clearTimeout(timer)
  }, [notice])

  // The server's refusals on the pad's socket. A refused document change leaves our replica
  // ahead of the server's, and later edits would build on it: start over from the server.
  const padRef = useRef<PadConnection | null>(null)
  const lastRebuild = useRef(0)
  // A refused run on the server (set below, once the pad's tracker exists).
  const serverRunsRef = useRef<{ tracker: ServerRunTracker | null; recheck: () => void }>({ tracker: null, recheck: () => {} })
  const onPadNotice = useCallback(
    (notice: ServerNotice) => {
      if (notice.run) {
        // About a run on the server, not a change to the document: nothing to start over.
        if (notice.code === 'unavailable') serverRunsRef.current.recheck()
        if (!serverRunsRef.current.tracker?.refused(notice)) showNotice(runRefusalText(notice))
        return
      }
      if (notice.code === 'name_taken') {
        padRef.current?.setUser(null) // not shown under a name that is not ours to take
        setNameError(noticeText(notice))
        setRenaming(true)
        return
      }
      showNotice(noticeText(notice))
      // (An observer never writes, so its replica never runs ahead of the server's.)
      if (!observer && DOCUMENT_REFUSALS.has(notice.code) && Date.now() - lastRebuild.current > REBUILD_MIN_INTERVAL_MS) {
        lastRebuild.current = Date.now()
        setGeneration((n) => n + 1)
      }
    },
    [showNotice, observer],
  )

  // Connect once we know the name (observers are never shown, so they need none), so others
  // never see a nameless cursor. A rename later only updates awareness (next effect).
  const hasName = observer || name !== null
  useEffect(() => {
    if (!hasName) return
    const user = observer ? null : { name: loadName() ?? 'Anonymous', color: colorRef.current, role }
    const connection = connectPad(sessionId, user, onPadNotice)
    padRef.current = connection
    setPad(connection)
    return () => {
      padRef.current = null
      setPad(null)
      connection.destroy()
    }
  }, [sessionId, role, observer, hasName, generation, onPadNotice])

  useEffect(() => {
    if (!pad || !name || observer) return
    const current = pad.provider.awareness.getLocalState()?.user as { color?: string } | undefined
    if (current?.color) colorRef.current = current.color
    pad.setUser({ name, role, color: colorRef.current })
  }, [pad, name, role, observer, nameVersion])

  // Issue 14: people as the server lists them (tabs as one, who is reconnecting), follow
  // mode, the interview clock.
  const people = usePeople(pad)
  const [editor, setEditor] = useState<Parameters<typeof useFollow>[1]>(null)
  const follow = useFollow(pad, editor)
  const followed = follow.following === null ? null : (people.find((person) => person.clientIds.includes(follow.following!)) ?? null)
  const status = useConnectionStatus(pad)
  const everSynced = useEverSynced(pad)
  const closeCode = useTerminalClose(pad)
  const restState = useMemo(() => sessionStateFromRest(session), [session])
  const sessionState = useSessionState(pad, everSynced, restState)
  const can = permissionsFor(role, sessionState)
  const [language, setLanguage] = useSharedLanguage(pad, session.language || DEFAULT_LANGUAGE)
  // The session's question (statement, tests), re-read when an interviewer switches it.
  const question = useSessionQuestion(pad, everSynced, sessionId, session, setSession)
  const starter = useStarterSwitch(pad, question, setLanguage)
  const link = inviteLink(location.origin, sessionId)
  const title = useSharedTitle(pad, session.title) || 'Untitled session'
  // A candidate's page reports pastes, focus lost and back, idle spells to the interviewers.
  useActivitySignals(pad, role === 'candidate')

  useEffect(() => {
    document.title = `${title} · interview pad`
    return () => {
      document.title = 'interview pad'
    }
  }, [title])

  const [runner, runnerState] = useCodeRunner()
  // Everyone sees the output of a run while it is going (run/liveTail.ts).
  useLiveRunShare(pad, runnerState.live)
  const elapsed = useElapsed(pad, session, role, people, sessionState.endedAt)
  const runs = useRuns(pad)
  const [hidden, setHidden] = useState(() => loadHiddenRuns(sessionId))
  const shownRuns = useMemo(() => visibleRuns(runs, hidden), [runs, hidden])
  const remoteRunners = useRemoteRunners(pad)
  // Java, Go, Rust, C#, Kotlin run on the server (run/serverRuns.ts), when a runner for them is up.
  const where = runsOn(language)
  const serverLanguages = useServerLanguages(language)
  const serverAvailability = serverLanguages.availability
  const [serverRuns, serverRunsState] = useServerRuns(pad)
  serverRunsRef.current = { tracker: serverRuns, recheck: serverLanguages.refresh }
  const serverPending = serverRunsState.pending
  const serverLive = serverPending ? (remoteRunners.find((other) => other.live?.id === serverPending.id)?.live ?? null) : null
  const serverRunView = useMemo(
    () => (serverPending ? { id: serverPending.id, stopping: serverPending.stopping, phase: serverLive?.phase ?? null } : null),
    [serverPending, serverLive?.phase],
  )
  const runnable = where === 'browser' || (where === 'server' && serverAvailability?.available !== false)
  const busy = runnerState.live !== null || serverPending !== null
  useEffect(() => serverRuns?.clearNotice(), [serverRuns, language])
  const [stdin, setStdin] = useStdin(sessionId)
  const runnerIdentity = useCallback(() => {
    const user = (pad?.provider.awareness.getLocalState()?.user ?? {}) as { name?: string; color?: string }
    return { name: user.name || name || 'Anonymous', color: user.color || colorRef.current }
  }, [pad, name])
  const tests = useTestRuns({ pad, runner, synced: everSynced, question, language, role, runBlocked: can.runBlocked, by: runnerIdentity })
  const listedRuns = useMemo(() => attachHiddenChecks(shownRuns), [shownRuns])
  const testsView = useMemo<TestsView>(
    () => ({
      question,
      interviewer: can.interviewer,
      interviewerPresent: tests.interviewerPresent,
      hiddenDetails: tests.hiddenDetails,
      checkHidden: tests.checkHidden,
      busy,
    }),
    [question, can.interviewer, tests.interviewerPresent, tests.hiddenDetails, tests.checkHidden, busy],
  )
  useTypeScriptService(language)

  const runCode = useCallback(async () => {
    if (!pad || !runner || runner.isBusy() || serverRuns?.pending || !everSynced || !can.run) return
    if (where === 'server') {
      // The server runs the document's code; its entry in the runs ends the pending run.
      if (serverRuns && serverAvailability?.available !== false) serverRuns.start(language, stdin)
      return
    }
    if (!isRunnableLanguage(language)) return
    const code = pad.code.toString()
    const awareness = pad.provider.awareness
    if (awareness.getLocalState()) awareness.setLocalStateField('running', { language })
    try {
      const prefaceStderr = await runPreface(language)
      const result = await runner.run(language, code, { stdin, prefaceStderr })
      if (runner.isDisposed()) return
      const user = (awareness.getLocalState()?.user ?? {}) as { name?: string; color?: string }
      const entry = makeRunEntry({
        id: result.id,
        by: { name: user.name || name || 'Anonymous', color: user.color || colorRef.current },
        language: result.language,
        stdout: result.stdout,
        stderr: result.stderr,
        status: result.status,
        message: result.message,
        durationMs: result.durationMs,
        truncated: result.truncated,
        stdin: result.stdin,
      })
      appendRun(pad.doc, pad.runs, entry)
    } catch {
      // The page is going away (runner disposed) or a run was already in progress.
    } finally {
      if (awareness.getLocalState()) awareness.setLocalStateField('running', null)
    }
  }, [pad, runner, serverRuns, serverAvailability, where, everSynced, language, name, can.run, stdin])

  // Ctrl/Cmd+Enter runs from anywhere on the page, the editor included (captured before
  // Monaco sees it, where it would insert a line); not from dialogs or the interviewer's panel.
  const runRef = useRef(runCode)
  runRef.current = runCode
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return
      if (event.target instanceof Element && event.target.closest('.modal, .interviewer-panel')) return
      event.preventDefault()
      event.stopPropagation()
      void runRef.current()
    }
    window.addEventListener('keydown', onKeyDown, true)
    return () => window.removeEventListener('keydown', onKeyDown, true)
  }, [])

  const clearOutput = () => {
    if (!pad) return
    if (can.clearForEveryone) clearRuns(pad.doc, pad.runs)
    else setHidden((current) => hideRuns(sessionId, current, runs))
  }

  const acceptName = (value: string) => {
    setName(saveName(value))
    setNameError(null)
    setNameVersion((n) => n + 1)
    setRenaming(false)
  }

  // Interviewers: end and reopen (the document's meta follows, for everyone, from the server).
  const [ending, setEnding] = useState(false)
  const setEnded = async (end: boolean) => {
    setEnding(true)
    try {
      setSession(await (end ? endSession(sessionId) : reopenSession(sessionId)))
    } catch (err) {
      showNotice(err instanceof ApiError ? err.detail : 'Could not reach the server.')
    } finally {
      setEnding(false)
    }
  }

  const ended = sessionState.endedAt !== null
  const readOnlyReason = ended
    ? 'The interview has ended: the code is read-only.'
    : observer
      ? 'You are observing: the code is read-only.'
      : undefined

  return (
    <div className="session-page" data-role={role}>
      <TopBar
        theme={theme}
        onToggleTheme={onToggleTheme}
        title={
          <>
            <SessionTitle
              title={title}
              editable={can.interviewer}
              onRename={async (next) => {
                setSession(await updateSession(sessionId, { title: next }))
              }}
            />
            <span className={`role role-${role}`} data-testid="role">
              {role}
            </span>
            <ElapsedTime elapsed={elapsed} />
          </>
        }
      >
        <ConnectionIndicator status={status} />
        <LanguageSelect
          value={language}
          onChange={starter.changeLanguage}
          disabled={!pad || !can.setLanguage}
        />
        <CopyLinkButton link={link} />
        <DownloadCodeButton pad={pad} title={title} language={language} />
        {can.interviewer &&
          (ended ? (
            <button type="button" className="button" data-testid="reopen-interview" onClick={() => void setEnded(false)} disabled={ending}>
              Reopen
            </button>
          ) : (
            <button type="button" className="button danger" data-testid="end-interview" onClick={() => void setEnded(true)} disabled={ending}>
              End interview
            </button>
          ))}
      </TopBar>

      <main className={`workspace${can.interviewer ? ' with-notes' : ''}`}>
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
          {ended && sessionState.endedAt && (
            <div className="banner banner-ended" role="status" data-testid="ended-banner">
              <strong>The interview ended</strong> at <time dateTime={sessionState.endedAt}>{formatEndedAt(sessionState.endedAt)}</time>.
              The code and output stay here, read-only{can.interviewer ? ': reopen it to allow changes again.' : '.'}
            </div>
          )}
          {observer && !ended && (
            <div className="banner banner-observer" role="status" data-testid="observer-banner">
              You are observing: you see everything the candidate sees, nobody sees you, and nothing can be changed from
              here.
            </div>
          )}
          {notice && (
            <div key={notice.id} className="notice-toast" role="alert" data-testid="server-notice">
              {notice.text}
              <button type="button" className="icon-button tiny" aria-label="Dismiss" onClick={() => setNotice(null)}>
                ×
              </button>
            </div>
          )}
          <div className={`question-split${question ? ' with-question' : ''}`}>
            {question && <QuestionPanel question={question} interviewer={can.interviewer} />}
            <div className="question-split-editor">
              {starter.offer && starter.offer.language === language && can.edit && (
                <StarterOfferBanner offer={starter.offer} onAccept={starter.accept} onDismiss={starter.dismiss} />
              )}
              {followed && <FollowBanner person={followed} onStop={() => follow.follow(null)} />}
              {pad ? (
                <CollaborativeEditor pad={pad} language={language} theme={theme} readOnly={!can.edit} readOnlyReason={readOnlyReason} onEditor={setEditor} />
              ) : (
                <div className="editor-placeholder" />
              )}
            </div>
          </div>
          <TestsViewProvider value={testsView}>
          <OutputPanel
            language={language}
            runnable={runnable}
            server={serverAvailability}
            serverRun={serverRunView}
            runNotice={serverRunsState.notice}
            ready={pad !== null && runner !== null && everSynced}
            runs={listedRuns}
            live={tests.liveView(runnerState.live)}
            runtimes={runnerState.runtimes}
            remoteRunners={remoteRunners}
            limitSeconds={(runner?.timeLimitMs(language) ?? 0) / 1000}
            stdin={stdin}
            onStdinChange={setStdin}
            runBlocked={can.runBlocked}
            clearForEveryone={can.clearForEveryone}
            onRun={() => void runCode()}
            onStop={() => (serverRuns?.pending ? serverRuns.stop() : runner?.stop())}
            onStopOther={
              can.interviewer && !ended
                ? (runId) => {
                    if (!serverRuns?.cancel(runId)) showNotice('Not connected to the server: the run could not be stopped.')
                  }
                : undefined
            }
            onClear={clearOutput}
            toolbarExtra={
              question && (
                <RunTestsButton
                  blocked={tests.blocked}
                  ready={pad !== null && runner !== null && everSynced}
                  busy={busy}
                  progress={tests.progress}
                  visibleCount={splitCases(question).visible.length}
                  hiddenCount={question.hidden_tests}
                  onRun={() => void tests.runTests()}
                />
              )
            }
          />
          </TestsViewProvider>
        </section>
        <aside className="side-panel">
          <PeopleList
            people={people}
            onRename={observer ? undefined : () => setRenaming(true)}
            following={follow.following}
            onFollow={editor ? follow.follow : undefined}
          />
          {can.interviewer && <ActivityPanel pad={pad} sessionId={sessionId} />}
          <section className="panel">
            <h2 className="panel-title">Invite</h2>
            <p className="muted small">Anyone with this link joins as a candidate.</p>
            <input className="input mono small" readOnly value={link} onFocus={(event) => event.target.select()} aria-label="Invite link" />
            {can.interviewer && session.observer_link && (
              <div className="observer-link">
                <CopyLinkButton
                  link={session.observer_link}
                  label="Copy observer link"
                  testId="copy-observer-link"
                  what="observer link (read-only)"
                  className="button small"
                />
                <p className="muted small">
                  Read-only, for a silent shadow interviewer or a recruiter: they see what the candidate sees, are not
                  shown to anyone, and cannot change anything.
                </p>
              </div>
            )}
          </section>
          {can.interviewer && (
            <QuestionControls sessionId={sessionId} question={question} language={language} ended={ended} onSession={setSession} />
          )}
          {can.interviewer && (
            <InterviewerPanel
              session={session}
              sessionId={sessionId}
              user={name ? { name, color: colorRef.current, role } : null}
              state={sessionState}
              onSession={setSession}
              onNotice={showNotice}
            />
          )}
          {observer && <ObserverReplayPanel sessionId={sessionId} />}
        </aside>
      </main>

      {!observer && (!hasName || renaming) && (
        <NamePrompt
          role={role}
          initialName={name ?? ''}
          error={nameError}
          onSubmit={acceptName}
          onCancel={hasName && !nameError ? () => setRenaming(false) : undefined}
        />
      )}
    </div>
  )
}

/** The session's title; interviewers can rename it in place. */
function SessionTitle({ title, editable, onRename }: { title: string; editable: boolean; onRename: (title: string) => Promise<void> }) {
  const [editing, setEditing] = useState(false)
  const [value, setValue] = useState(title)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  if (!editing) {
    return (
      <>
        <span className="session-name" title={title}>
          {title}
        </span>
        {editable && (
          <button
            type="button"
            className="icon-button tiny"
            data-testid="rename-session"
            title="Rename the session"
            aria-label="Rename the session"
            onClick={() => {
              setValue(title)
              setError(null)
              setEditing(true)
            }}
          >
            <PencilIcon size={12} />
          </button>
        )}
      </>
    )
  }
  return (
    <form
      className="title-form"
      onSubmit={async (event) => {
        event.preventDefault()
        setBusy(true)
        setError(null)
        try {
          await onRename(value.trim())
          setEditing(false)
        } catch (err) {
          setError(err instanceof ApiError ? err.detail : 'Could not reach the server.')
        } finally {
          setBusy(false)
        }
      }}
    >
      <input
        className="input small"
        data-testid="session-title-input"
        aria-label="Session title"
        value={value}
        maxLength={200}
        autoFocus
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={(event) => event.key === 'Escape' && setEditing(false)}
        aria-invalid={error ? true : undefined}
        title={error ?? undefined}
      />
      <button type="submit" className="button small primary" disabled={busy}>
        Save
      </button>
      <button type="button" className="button small" onClick={() => setEditing(false)} disabled={busy}>
        Cancel
      </button>
    </form>
  )
}
