import { describe, expect, it } from 'vitest';
import { nextSlotStart, tabStop, type SlotCell } from './slotKeys';

const cells: SlotCell[] = [
  { start: 'd0-09', day: 0, available: false },
  { start: 'd0-10', day: 0, available: true },
  { start: 'd0-11', day: 0, available: true },
  { start: 'd1-09', day: 1, available: false },
  { start: 'd2-09', day: 2, available: true },
  { start: 'd2-10', day: 2, available: false },
  { start: 'd2-11', day: 2, available: true },
];

describe('nextSlotStart', () => {
  it('moves between bookable times, skipping the rest, and stops at the ends', () => {
    expect(nextSlotStart(cells, 'd0-11', 'ArrowRight')).toBe('d2-09');
    expect(nextSlotStart(cells, 'd2-09', 'ArrowRight')).toBe('d2-11');
    expect(nextSlotStart(cells, 'd2-11', 'ArrowRight')).toBe('d2-11');
    expect(nextSlotStart(cells, 'd2-09', 'ArrowLeft')).toBe('d0-11');
    expect(nextSlotStart(cells, 'd0-10', 'ArrowLeft')).toBe('d0-10');
    expect(nextSlotStart(cells, 'd0-11', 'End')).toBe('d2-11');
    expect(nextSlotStart(cells, 'd2-11', 'Home')).toBe('d0-10');
  });

  it('jumps a day with Up and Down, to the first bookable time of the day', () => {
    expect(nextSlotStart(cells, 'd0-11', 'ArrowDown')).toBe('d2-09');
    expect(nextSlotStart(cells, 'd2-11', 'ArrowUp')).toBe('d0-10');
    expect(nextSlotStart(cells, 'd0-10', 'ArrowUp')).toBe('d0-10');
  });

  it('ignores other keys and unknown starts', () => {
    expect(nextSlotStart(cells, 'd0-10', 'a')).toBeNull();
    expect(nextSlotStart(cells, 'd1-09', 'ArrowRight')).toBeNull();
  });
});

describe('tabStop', () => {
  it('is the chosen time while bookable, else the first bookable', () => {
    expect(tabStop(cells, 'd2-09')).toBe('d2-09');
    expect(tabStop(cells, 'd2-10')).toBe('d0-10');
    expect(tabStop(cells, null)).toBe('d0-10');
    expect(tabStop([], null)).toBeNull();
  });
});
