/** Light/dark theme as reactive state, remembered in localStorage and mirrored to `<html data-theme>`. */
export type Theme = 'light' | 'dark';
const KEY = 'clv.theme';

function initial(): Theme {
  if (typeof document === 'undefined') return 'light';
  const t = document.documentElement.dataset.theme;
  return t === 'dark' ? 'dark' : 'light';
}

class ThemeState {
  current = $state<Theme>(initial());
  toggle(): void {
    this.current = this.current === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = this.current;
    try {
      localStorage.setItem(KEY, this.current);
    } catch {
      // not remembered
    }
  }
}

/** The app's theme. */
export const theme = new ThemeState();
