import { useId, useMemo, useState } from 'react';
import { formatZone } from '../lib/time';
import { Field } from './Field';
import { allZones, findZone, zoneLabel } from '../lib/zones';

interface Props {
  zone: string;
  onPick: (zone: string) => void;
  /** Zones to list even if this browser's list lacks them (the expert's). */
  extra?: string[];
}

/**
 * A searchable list of every IANA zone (a text field with suggestions): type part of a city, a zone name
 * or an offset ("GMT+5:30") and pick; Enter or leaving the field applies a full match.
 */
export function ZonePicker({ zone, onPick, extra = [] }: Props) {
  const id = useId();
  const key = extra.join(',');
  // Listing ~420 zones with their names and offsets costs hundreds of ms on a slow phone, so it waits
  // until someone uses the field (issue 14: it was most of the expert page's blocking time).
  const [wanted, setWanted] = useState(false);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `extra` is a fresh array each render; `key` is its value
  const options = useMemo(() => (wanted ? allZones(extra) : []), [wanted, key]);
  const [text, setText] = useState('');
  const [unknown, setUnknown] = useState(false);

  const apply = (value: string) => {
    if (!value.trim()) return;
    const found = findZone(options.length ? options : allZones(extra), value);
    setUnknown(!found);
    if (found) {
      onPick(found.id);
      setText('');
    }
  };

  return (
    <Field
      id={`${id}-input`}
      label="Show times in another time zone"
      hint={`Now: ${formatZone(zone)}. Type a city or region, then choose.`}
      error={unknown ? `No time zone matches “${text}”.` : undefined}
      className="zone-picker"
    >
      {(control) => (
        <>
          <input
            {...control}
            className="input"
            type="search"
            list={`${id}-list`}
            autoComplete="off"
            value={text}
            onFocus={() => setWanted(true)}
            onChange={(e) => {
              setText(e.target.value);
              setWanted(true); // typed into without a focus event first (e.g. by a script): the list is needed now
              // Picking a suggestion replaces the whole text with the zone's id: apply it at once.
              if (options.some((o) => o.id === e.target.value)) apply(e.target.value);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                apply(text);
              }
            }}
            onBlur={() => apply(text)}
          />
          <datalist id={`${id}-list`}>
            {options.map((o) => (
              <option key={o.id} value={o.id} label={zoneLabel(o)} />
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}
