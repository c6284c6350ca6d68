// The record of an ended interview, for its interviewers (GET /api/sessions/<id>/record):
// final code and language, every run with its output, notes and scorecard, who took part and
// when, the candidate's activity signals, the duration, and the downloads (the whole record as
// JSON, the code as a file). Part of the replay page (pages/Replay.tsx).

import { useEffect, useState } from 'react'
import { ApiError, codeFileUrl, getRecord, recordDownloadUrl, type InterviewRecord } from '../api'
import { describeEvent } from '../activity/wording'
import { languageLabel } from '../languages'
import { formatDateTime, formatInterviewDuration } from '../time'

const RATINGS: Record<number, string> = { 1: 'Strong no', 2: 'No', 3: 'Yes', 4: 'Strong yes' }
const RECOMMENDATIONS: Record<string, string> = { hire: 'Hire', no_hire: 'No hire' }

function timeOfDay(iso: string | null): string {
  if (!iso) return ''
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
}

function Downloads({ sessionId, record }: { sessionId: string; record: boolean }) {
  return (
    <div className="record-downloads">
      {record && (
        <a className="button small primary" href={recordDownloadUrl(sessionId)} download data-testid="download-record">
          Download the record (JSON)
        </a>
      )}
      <a className="button small" href={codeFileUrl(sessionId)} download data-testid="download-code">
        Download the code
      </a>
    </div>
  )
}

export function RecordPanel({ sessionId, ended }: { sessionId: string; ended: boolean }) {
  const [record, setRecord] = useState<InterviewRecord | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    if (!ended) return
    let cancelled = false
    getRecord(sessionId).then(
      (value) => !cancelled && setRecord(value),
      (err) => !cancelled && setError(err instanceof ApiError ? err.detail : 'Could not reach the server.'),
    )
    return () => {
      cancelled = true
    }
  }, [sessionId, ended])

  if (!ended) {
    return (
      <section className="card record" data-testid="record-live">
        <h2>The record</h2>
        <p className="muted">
          The interview is still going on: its record (notes, scorecard, everyone’s times, the activity) is shown here once it has
          ended.
        </p>
        <Downloads sessionId={sessionId} record={false} />
      </section>
    )
  }
  if (!record) {
    return (
      <section className="card record">
        <h2>The record</h2>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : (
          <div className="spinner" aria-label="Loading the record" />
        )}
      </section>
    )
  }

  const { session, scorecard } = record
  return (
    <section className="card record" data-testid="record" aria-labelledby="record-title">
      <div className="record-head">
        <h2 id="record-title">The record</h2>
        <Downloads sessionId={sessionId} record />
      </div>
      <dl className="record-facts">
        <div>
          <dt>Duration</dt>
          <dd data-testid="record-duration">{formatInterviewDuration(session.duration_seconds)}</dd>
        </div>
        <div>
          <dt>Language</dt>
          <dd data-testid="record-language">{languageLabel(record.language)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDateTime(session.created_at)}</dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>{formatDateTime(session.ended_at)}</dd>
        </div>
        {(session.owner || session.interviewers.length > 0) && (
          <div>
            <dt>Interviewers</dt>
            <dd>{[session.owner, ...session.interviewers.filter((name) => name !== session.owner)].filter(Boolean).join(', ')}</dd>
          </div>
        )}
        <div>
          <dt>Edits logged</dt>
          <dd>
            {record.history.updates.toLocaleString('en')}
            {record.history.pruned_at && ` (history deleted ${formatDateTime(record.history.pruned_at)})`}
          </dd>
        </div>
      </dl>

      <div className="record-grid">
        <section className="record-section record-code">
          <h3 className="subhead">Final code ({languageLabel(record.language)})</h3>
          <pre className="replay-pre" data-testid="record-code">
            {record.code || ' '}
          </pre>
        </section>

        <section className="record-section">
          <h3 className="subhead">Scorecard</h3>
          <p data-testid="record-scorecard">
            {scorecard.rating ? `${scorecard.rating} (${RATINGS[scorecard.rating] ?? ''})` : 'No rating'}
            {' · '}
            {RECOMMENDATIONS[scorecard.recommendation] ?? 'no recommendation'}
          </p>
          {scorecard.comment && <p className="record-comment">{scorecard.comment}</p>}
          <h3 className="subhead">Notes</h3>
          {record.notes ? (
            <pre className="replay-pre notes" data-testid="record-notes">
              {record.notes}
            </pre>
          ) : (
            <p className="muted small">No notes.</p>
          )}
        </section>

        <section className="record-section">
          <h3 className="subhead">Participants</h3>
          <table className="record-table" data-testid="record-participants">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Joined</th>
                <th scope="col">Left</th>
              </tr>
            </thead>
            <tbody>
              {record.participants.map((person) => (
                <tr key={person.connection} data-testid="record-participant">
                  <td>{person.name || 'unnamed'}</td>
                  <td>{person.role}</td>
                  <td>{timeOfDay(person.joined_at)}</td>
                  <td>{person.left_at ? timeOfDay(person.left_at) : <span className="muted">still there at the end</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {record.participants.length === 0 && <p className="muted small">Nobody joined with a name.</p>}
        </section>

        <section className="record-section">
          <h3 className="subhead">Activity</h3>
          {record.activity.length === 0 ? (
            <p className="muted small">No pastes, focus changes or idle spells.</p>
          ) : (
            <ol className="activity-list" data-testid="record-activity">
              {record.activity.map((event) => (
                <li key={event.id} data-testid="record-activity-item" data-kind={event.kind}>
                  <time className="muted" dateTime={event.at}>
                    {timeOfDay(event.at)}
                  </time>{' '}
                  {describeEvent(event)}
                  {event.kind === 'paste' && typeof event.data.text === 'string' && (
                    <details className="pasted">
                      <summary>Pasted text</summary>
                      <pre>{event.data.text}</pre>
                    </details>
                  )}
                </li>
              ))}
            </ol>
          )}
        </section>

        <section className="record-section record-runs">
          <h3 className="subhead">Runs ({record.runs.length})</h3>
          {record.runs.length === 0 ? (
            <p className="muted small">Nothing was run.</p>
          ) : (
            <ol className="record-run-list" data-testid="record-runs">
              {record.runs.map((run, i) => (
                <li key={typeof run.id === 'string' ? run.id : i}>
                  <RunOutput run={run} />
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </section>
  )
}

export function RunOutput({ run }: { run: Record<string, unknown> }) {
  const by = run.by && typeof run.by === 'object' ? (run.by as { name?: unknown }).name : null
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  return (
    <div className="replay-run" data-testid="run-output">
      <p className="muted small">
        {typeof by === 'string' && by ? `${by} · ` : ''}
        {languageLabel(text(run.language))} · {text(run.status)}
        {typeof run.duration_ms === 'number' ? ` · ${run.duration_ms} ms` : ''}
      </p>
      {text(run.stdout) && (
        <pre className="replay-pre" data-testid="run-stdout">
          {text(run.stdout)}
        </pre>
      )}
      {text(run.stderr) && (
        <pre className="replay-pre stderr" data-testid="run-stderr">
          {text(run.stderr)}
        </pre>
      )}
      {text(run.message) && <p className="muted small">{text(run.message)}</p>}
      {!text(run.stdout) && !text(run.stderr) && <p className="muted small">No output.</p>}
    </div>
  )
}

