// The search box and the tag, difficulty and language selects over a list of questions:
// the bank page's and the picker's, told apart by their test ids' prefix.

import type { Ref } from 'react'
import { LANGUAGES } from '../languages'
import { difficultyLabel } from './format'
import { DIFFICULTIES, type QuestionFilters } from './types'

const FILTER_LANGUAGES = LANGUAGES.filter((l) => l.id !== 'plaintext')

interface Props {
  search: string
  onSearch: (value: string) => void
  filters: QuestionFilters
  onFilters: (filters: QuestionFilters) => void
  tags: readonly string[]
  /** `bank` or `question`: test ids are `<prefix>-search`, `<prefix>-tag`, ... */
  testPrefix: string
  placeholder: string
  className?: string
  searchRef?: Ref<HTMLInputElement>
}

export function FilterBar({ search, onSearch, filters, onFilters, tags, testPrefix, placeholder, className = '', searchRef }: Props) {
  return (
    <div className={`picker-filters ${className}`.trim()} role="search">
      <input
        ref={searchRef}
        className="input"
        type="search"
        placeholder={placeholder}
        aria-label="Search questions"
        data-testid={`${testPrefix}-search`}
        value={search}
        onChange={(event) => onSearch(event.target.value)}
      />
      <select className="select" aria-label="Tag" data-testid={`${testPrefix}-tag`} value={filters.tag} onChange={(event) => onFilters({ ...filters, tag: event.target.value })}>
        <option value="">Any tag</option>
        {tags.map((tag) => (
          <option key={tag} value={tag}>
            {tag}
          </option>
        ))}
      </select>
      <select
        className="select"
        aria-label="Difficulty"
        data-testid={`${testPrefix}-difficulty`}
        value={filters.difficulty}
        onChange={(event) => onFilters({ ...filters, difficulty: event.target.value })}
      >
        <option value="">Any difficulty</option>
        {DIFFICULTIES.map((d) => (
          <option key={d} value={d}>
            {difficultyLabel(d)}
          </option>
        ))}
      </select>
      <select
        className="select"
        aria-label="Starter code language"
        data-testid={`${testPrefix}-language`}
        value={filters.language}
        onChange={(event) => onFilters({ ...filters, language: event.target.value })}
      >
        <option value="">Any language</option>
        {FILTER_LANGUAGES.map((l) => (
          <option key={l.id} value={l.id}>
            {l.label}
          </option>
        ))}
      </select>
    </div>
  )
}
