// Dates and durations as the dashboard and the session page show them.

/** An interview's length: `under a minute`, `12 min`, `1 h 05 min`. */
export function formatInterviewDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 60) return 'under a minute'
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`
}

/** `Nov 26, 2026, 2:05 PM` in the reader's locale; '' for a missing or bad date. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

/** A time for the "ended at" banner: today as its time of day, another day with its date. */
export function formatEndedAt(iso: string, now: Date = new Date()): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return date.toDateString() === now.toDateString()
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : formatDateTime(iso)
}
