// The session's question beside the editor: statement, examples (the visible cases) and how
// many hidden cases there are, for everyone; the guidance and the hidden cases themselves on
// interviewers' pages only (the server sends them to nobody else). The statement and the
// guidance are HTML the server rendered from Markdown and sanitised (no raw HTML, no
// scripts, nothing remote).

import { useState } from 'react'
import { callText, expectedText } from '../questions/format'
import { DifficultyBadge } from '../questions/QuestionPicker'
import { splitCases, type SessionQuestion, type TestCase } from '../questions/types'

interface Props {
  question: SessionQuestion
  interviewer: boolean
}

export function QuestionPanel({ question, interviewer }: Props) {
  const [open, setOpen] = useState(true)
  const { visible, hidden } = splitCases(question)
  if (!open) {
    return (
      <aside className="question-pane collapsed" aria-label="Question">
        <button
          type="button"
          className="icon-button question-toggle"
          data-testid="show-question"
          aria-expanded="false"
          aria-controls="question-pane-body"
          title="Show the question"
          onClick={() => setOpen(true)}
        >
          <span aria-hidden="true">»</span>
          <span className="question-vertical">{question.title}</span>
        </button>
      </aside>
    )
  }
  return (
    <aside className="question-pane" aria-labelledby="question-title" data-testid="question-panel" data-question-id={question.id}>
      <header className="question-head">
        <h2 id="question-title" data-testid="question-title">
          {question.title}
        </h2>
        <DifficultyBadge difficulty={question.difficulty} />
        <button
          type="button"
          className="icon-button tiny question-toggle"
          data-testid="hide-question"
          aria-expanded="true"
          aria-controls="question-pane-body"
          title="Hide the question"
          aria-label="Hide the question"
          onClick={() => setOpen(false)}
        >
          «
        </button>
      </header>
      <div className="question-body" id="question-pane-body">
        <div className="markdown" data-testid="question-statement" dangerouslySetInnerHTML={{ __html: question.statement_html }} />
        {question.function_name ? (
          <p className="muted small">
            Tests call <code>{question.function_name}</code>
            {question.function_name.includes('_') && ' (or its camelCase name in JavaScript and TypeScript)'} with each example's arguments.
          </p>
        ) : (
          <p className="muted small">Tests give the program each example's input and compare what it prints.</p>
        )}
        {visible.length > 0 && (
          <section data-testid="question-examples">
            <h3 className="question-subtitle">Examples</h3>
            <CaseList cases={visible} functionName={question.function_name} />
          </section>
        )}
        {question.hidden_tests > 0 && (
          <p className="muted small" data-testid="question-hidden-count">
            {interviewer
              ? `${question.hidden_tests} hidden test${question.hidden_tests === 1 ? '' : 's'}: checked in your browser when anyone runs the tests; the candidate sees only how many pass.`
              : `Plus ${question.hidden_tests} hidden test${question.hidden_tests === 1 ? '' : 's'}: you will see how many pass.`}
          </p>
        )}
        {interviewer && hidden.length > 0 && (
          <details className="interviewer-only" data-testid="question-hidden-tests">
            <summary>Hidden tests (interviewers only)</summary>
            <CaseList cases={hidden} functionName={question.function_name} />
          </details>
        )}
        {interviewer && question.guidance_html && (
          <details className="interviewer-only" open data-testid="question-guidance">
            <summary>Guidance (interviewers only)</summary>
            <div className="markdown" dangerouslySetInnerHTML={{ __html: question.guidance_html }} />
          </details>
        )}
      </div>
    </aside>
  )
}

function CaseList({ cases, functionName }: { cases: TestCase[]; functionName: string }) {
  return (
    <ul className="question-cases">
      {cases.map((c) => (
        <li key={c.name}>
          <span className="small muted">{c.name}</span>
          {functionName ? (
            <pre>
              {callText(functionName, c.input)} → {expectedText(functionName, c.expected)}
            </pre>
          ) : (
            <div className="stdio-case">
              <div>
                <span className="small muted">Input</span>
                <pre>{callText('', c.input)}</pre>
              </div>
              <div>
                <span className="small muted">Output</span>
                <pre>{expectedText('', c.expected)}</pre>
              </div>
            </div>
          )}
        </li>
      ))}
    </ul>
  )
}
