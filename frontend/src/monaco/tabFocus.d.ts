// Monaco's "Tab moves focus" switch (Ctrl+M toggles it), which its package ships without
// type declarations. Global to every editor on the page.

declare module 'monaco-editor/editor/browser/config/tabFocus' {
  export const TabFocus: {
    getTabFocusMode(): boolean
    setTabFocusMode(on: boolean): void
    onDidChangeTabFocus(listener: (on: boolean) => void): { dispose(): void }
  }
}
