/**
 * Compares two hex digests in time that does not depend on where they differ. Workflow code
 * cannot use node:crypto, so this is the sandbox-safe equivalent of timingSafeEqual.
 */
export function hexDigestsEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  return difference === 0;
}
