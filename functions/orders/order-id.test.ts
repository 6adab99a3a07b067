import { describe, expect, it } from '@jest/globals';
import { newOrderId, ORDER_ID_PATTERN, orderIdFloor, orderIdTime } from './order-id';

describe('order ids', () => {
  it('are 26-character ULIDs that carry their creation time', () => {
    const at = Date.UTC(2026, 5, 1, 12, 30);
    const id = newOrderId(at);
    expect(id).toMatch(ORDER_ID_PATTERN);
    expect(orderIdTime(id)).toBe(at);
  });

  it('sort by creation time as plain strings, and above the floor of their moment', () => {
    const ids = [0, 1, 999, 1000, 86_400_000].map((offset) => newOrderId(Date.UTC(2026, 0, 1) + offset));
    expect([...ids].sort()).toEqual(ids);
    const at = Date.UTC(2026, 0, 1);
    expect(orderIdFloor(at) <= newOrderId(at)).toBe(true);
    expect(newOrderId(at - 1) < orderIdFloor(at)).toBe(true);
  });

  it('differ within one millisecond', () => {
    const at = Date.UTC(2026, 0, 1);
    expect(new Set(Array.from({ length: 1000 }, () => newOrderId(at))).size).toBe(1000);
  });
});
