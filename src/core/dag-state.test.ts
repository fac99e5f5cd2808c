import { describe, expect, it } from "vitest";
import { BYPASSED, COMPLETED, DagState, dagShape, pythonEquals, shouldBypass } from "./dag-state.js";

// a -> c, b -> c, c -> d
const shape = dagShape([[], [], [0, 1], [2]]);

describe("DagState", () => {
  it("starts with the nodes that wait for nothing and releases a node when all its dependencies settle", () => {
    const state = new DagState(shape);
    expect(state.initialReady()).toEqual([0, 1]);
    expect(state.settle(0, COMPLETED)).toEqual([]);
    expect(state.settle(1, BYPASSED)).toEqual([2]);
    expect(state.done).toBe(false);
    expect(state.settle(2, COMPLETED)).toEqual([3]);
    expect(state.settle(3, COMPLETED)).toEqual([]);
    expect(state.done).toBe(true);
    expect(state.isBypassed(1)).toBe(true);
  });
});

describe("shouldBypass (promptflow _is_node_bypassable)", () => {
  const state = new DagState(shape);
  state.settle(0, COMPLETED);
  state.settle(1, BYPASSED);

  it("without activate: bypassed only when all node inputs are bypassed", () => {
    expect(shouldBypass({ hasActivate: false, inputNodes: [1, 1] }, state, () => true)).toBe(true);
    expect(shouldBypass({ hasActivate: false, inputNodes: [0, 1] }, state, () => true)).toBe(false);
    expect(shouldBypass({ hasActivate: false, inputNodes: [] }, state, () => true)).toBe(false);
  });

  it("with activate: the condition decides, unless the node it reads was bypassed", () => {
    expect(shouldBypass({ hasActivate: true, inputNodes: [1], activateNode: 0 }, state, () => true)).toBe(
      false,
    );
    expect(shouldBypass({ hasActivate: true, inputNodes: [0], activateNode: 0 }, state, () => false)).toBe(
      true,
    );
    expect(shouldBypass({ hasActivate: true, inputNodes: [0], activateNode: 1 }, state, () => true)).toBe(
      true,
    );
  });

  it("compares conditions as Python ==", () => {
    expect(pythonEquals(1, 1.0)).toBe(true);
    expect(pythonEquals(true, 1)).toBe(true);
    expect(pythonEquals({ a: [1, "x"] }, { a: [1, "x"] })).toBe(true);
    expect(pythonEquals("1", 1)).toBe(false);
  });
});
