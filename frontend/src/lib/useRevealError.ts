import { useEffect, useRef } from 'react';

const FIELDS = 'input, select, textarea';

/**
 * Bring an error banner to the eye (issue 13): when `error` appears, focus the banner (which scrolls it
 * into view, e.g. on a phone where the banner is above the fold and the user is at the submit button),
 * unless the code already moved the focus to a form field that has its own error.
 */
export function useRevealError<T extends HTMLElement>(error: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    const banner = ref.current;
    if (!error || !banner) return;
    if (document.activeElement?.matches(FIELDS) && document.activeElement.getAttribute('aria-invalid') === 'true') {
      return;
    }
    banner.focus();
    banner.scrollIntoView?.({ block: 'center' });
  }, [error]);
  return ref;
}
