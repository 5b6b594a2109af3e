import { useState } from 'react';
import { isValidTimeZone, sameZone, viewerTimeZone } from './time';

/** The viewer's zone, the expert's, or any IANA zone picked from the list (issue 13). */
export type ZoneChoice = 'viewer' | 'expert' | { zone: string };

const STORAGE_KEY = 'expertBooking.zoneChoice';

function storedChoice(): ZoneChoice {
  try {
    const stored = sessionStorage.getItem(STORAGE_KEY);
    if (stored === 'expert') return 'expert';
    if (stored && stored !== 'viewer' && isValidTimeZone(stored)) return { zone: stored };
  } catch {
    // Storage blocked: the default.
  }
  return 'viewer';
}

/** Which zone to show times in: the viewer's by default, the expert's or any other; remembered for the session. */
export function useDisplayZone(expertZone: string | undefined) {
  const [choice, setChoiceState] = useState<ZoneChoice>(storedChoice);
  const expertKnown = expertZone && isValidTimeZone(expertZone) ? expertZone : undefined;
  // Same zone under another name (an alias): use the expert's spelling, usually the modern one.
  const browserZone = viewerTimeZone();
  const viewerZone = expertKnown && sameZone(browserZone, expertKnown) ? expertKnown : browserZone;
  const zone =
    typeof choice === 'object' ? choice.zone : choice === 'expert' && expertKnown ? expertKnown : viewerZone;

  const setChoice = (next: ZoneChoice) => {
    try {
      sessionStorage.setItem(STORAGE_KEY, typeof next === 'object' ? next.zone : next);
    } catch {
      // Not remembered; still applied for this page.
    }
    setChoiceState(next);
  };

  return { zone, choice, setChoice, viewerZone, expertZone: expertKnown };
}
