/** The official's name, remembered for the tab so every form does not ask it again. */
const NAME_KEY = 'commune-hub.enteredBy';
export function rememberedName(): string {
  try {
    return sessionStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}
export function rememberName(name: string): void {
  try {
    sessionStorage.setItem(NAME_KEY, name);
  } catch {}
}
