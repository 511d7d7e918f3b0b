import { useEffect } from 'react';

/** Each page names itself in the tab and to screen readers that announce navigation. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · ConnectProf`;
  }, [title]);
}
