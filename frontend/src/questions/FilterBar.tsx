// The search box and the tag, difficulty and language selects over a list of questions:
// the bank page's and the picker's, told apart by their test ids' prefix.

import type { Ref } from 'react'
import { LANGUAGES } from '../languages'
import { difficultyLabel } from './format'
import { DIFFICULTIES, type QuestionFilters } from './types'

type Option = readonly [value: string, label: string]

const DIFFICULTY_OPTIONS: Option[] = DIFFICULTIES.map((d) => [d, difficultyLabel(d)])
const LANGUAGE_OPTIONS: Option[] = LANGUAGES.filter((l) => l.id !== 'plaintext').map((l) => [l.id, l.label])

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
  const select = { filters, onFilters, testPrefix }
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
      <FilterSelect field="tag" label="Tag" any="Any tag" options={tags.map((tag) => [tag, tag] as const)} {...select} />
      <FilterSelect field="difficulty" label="Difficulty" any="Any difficulty" options={DIFFICULTY_OPTIONS} {...select} />
      <FilterSelect field="language" label="Starter code language" any="Any language" options={LANGUAGE_OPTIONS} {...select} />
    </div>
  )
}

interface SelectProps {
  field: 'tag' | 'difficulty' | 'language'
  label: string
  /** The first option's text: no filter on this field. */
  any: string
  options: readonly Option[]
  filters: QuestionFilters
  onFilters: (filters: QuestionFilters) => void
  testPrefix: string
}

/** One filter: a select of `field`'s values, test id `<prefix>-<field>`. */
function FilterSelect({ field, label, any, options, filters, onFilters, testPrefix }: SelectProps) {
  return (
    <select
      className="select"
      aria-label={label}
      data-testid={`${testPrefix}-${field}`}
      value={filters[field]}
      onChange={(event) => onFilters({ ...filters, [field]: event.target.value })}
    >
      <option value="">{any}</option>
      {options.map(([value, text]) => (
        <option key={value} value={value}>
          {text}
        </option>
      ))}
    </select>
  )
}
