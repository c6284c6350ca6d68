import { languageOptions } from '../languages'

interface Props {
  value: string
  onChange: (id: string) => void
  testId?: string
  id?: string
  disabled?: boolean
}

export function LanguageSelect({ value, onChange, testId = 'language-select', id, disabled }: Props) {
  return (
    <select
      id={id}
      className="select"
      data-testid={testId}
      value={value}
      disabled={disabled}
      onChange={(event) => onChange(event.target.value)}
      aria-label="Language"
    >
      {languageOptions(value).map((option) => (
        <option key={option.id} value={option.id}>
          {option.label}
        </option>
      ))}
    </select>
  )
}
