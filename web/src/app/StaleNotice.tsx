export function StaleNotice() {
  return null;
}
