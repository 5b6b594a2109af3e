import { useState } from 'react';
import { isValidTimeZone, sameZone, viewerTimeZone } from './time';

export type ZoneChoice = 'viewer' | 'expert';

const STORAGE_KEY = 'expertBooking.zoneChoice';

function storedChoice(): ZoneChoice {
  try {
    return sessionStorage.getItem(STORAGE_KEY) === 'expert' ? 'expert' : 'viewer';
  } catch {
    return 'viewer';
  }
}

/** Which zone to show times in: the viewer's by default, or the expert's; remembered for the session. */
export function useDisplayZone(expertZone: string | undefined) {
  const [choice, setChoiceState] = useState<ZoneChoice>(storedChoice);
  const expertKnown = expertZone && isValidTimeZone(expertZone) ? expertZone : undefined;
  // Same zone under another name (an alias): use the expert's spelling, usually the modern one.
  const browserZone = viewerTimeZone();
  const viewerZone = expertKnown && sameZone(browserZone, expertKnown) ? expertKnown : browserZone;
  const zone = choice === 'expert' && expertKnown ? expertKnown : viewerZone;

  const setChoice = (next: ZoneChoice) => {
    try {
      sessionStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered; still applied for this page.
    }
    setChoiceState(next);
  };

  return { zone, choice, setChoice, viewerZone, expertZone: expertKnown };
}
