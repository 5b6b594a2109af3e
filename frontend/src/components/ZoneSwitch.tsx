import { formatZone, sameZone } from '../lib/time';
import type { ZoneChoice } from '../lib/useDisplayZone';
import { ZonePicker } from './ZonePicker';

interface Props {
  viewerZone: string;
  expertZone: string | undefined;
  choice: ZoneChoice;
  onChange: (choice: ZoneChoice) => void;
  /** The zone times are shown in now. */
  zone: string;
}

/**
 * "Show times in: your zone | the expert's zone" (or a note when they are the same), and a searchable
 * list of every other zone.
 */
export function ZoneSwitch({ viewerZone, expertZone, choice, onChange, zone }: Props) {
  const pick = (picked: string) =>
    onChange(
      sameZone(picked, viewerZone) ? 'viewer' : expertZone && sameZone(picked, expertZone) ? 'expert' : { zone: picked },
    );
  const other = typeof choice === 'object';
  return (
    <div className="zone-switch stack stack--tight">
      {!expertZone || sameZone(expertZone, viewerZone) ? (
        <p className="zone-note" data-testid="zone-note">
          Times shown in {formatZone(zone)}.
          {other && (
            <>
              {' '}
              <button type="button" className="button button--link" onClick={() => onChange('viewer')}>
                Back to your time zone
              </button>
            </>
          )}
        </p>
      ) : (
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
          {other && <p className="zone-note" data-testid="zone-note">Times shown in {formatZone(zone)}.</p>}
        </fieldset>
      )}
      <ZonePicker zone={zone} onPick={pick} extra={expertZone ? [expertZone, viewerZone] : [viewerZone]} />
    </div>
  );
}
