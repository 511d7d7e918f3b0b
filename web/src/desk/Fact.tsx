import { type ReactNode, useId } from 'react';

/**
 * One term and its value in a <dl>. The value is named by its term, so a screen reader (and a
 * test) finds "State" or "Telephone Number" by name rather than by position.
 */
export function Fact({ term, children }: { term: string; children: ReactNode }) {
  const id = useId();
  return (
    <>
      <dt id={id}>{term}</dt>
      <dd aria-labelledby={id}>{children}</dd>
    </>
  );
}
