// How the app's code is set: the font and spacing of its code editors (monaco/setup.ts), also
// used by the replay's plain-text view, which must not load Monaco and must not move when Monaco
// takes its place.

export const CODE_FONT = {
  fontFamily: "ui-monospace, 'SFMono-Regular', 'JetBrains Mono', Menlo, Consolas, 'Liberation Mono', monospace",
  fontSize: 14,
  lineHeight: 21,
  padding: { top: 12, bottom: 12 },
}
