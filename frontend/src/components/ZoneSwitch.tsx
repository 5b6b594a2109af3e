import { formatZone, sameZone } from '../lib/time';
import type { ZoneChoice } from '../lib/useDisplayZone';

interface Props {
  viewerZone: string;
  expertZone: string | undefined;
  choice: ZoneChoice;
  onChange: (choice: ZoneChoice) => void;
}

/** "Show times in: your zone | the expert's zone", or a plain note when they are the same. */
export function ZoneSwitch({ viewerZone, expertZone, choice, onChange }: Props) {
  if (!expertZone || sameZone(expertZone, viewerZone)) {
    return <p className="zone-note">Times shown in {formatZone(viewerZone)}.</p>;
  }
  return (
    <fieldset className="segmented">
      <legend className="segmented__legend">Show times in</legend>
      <label className="segmented__option">
        <input type="radio" name="zone" checked={choice === 'viewer'} onChange={() => onChange('viewer')} />
        <span>Your time zone: {formatZone(viewerZone)}</span>
      </label>
      <label className="segmented__option">
        <input type="radio" name="zone" checked={choice === 'expert'} onChange={() => onChange('expert')} />
        <span>Expert's time zone: {formatZone(expertZone)}</span>
      </label>
    </fieldset>
  );
}
