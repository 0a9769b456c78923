/** `?test=<test id>&mine=1` of the manual run page: the test on screen (a deep link) and "only my tests". */
export interface ManualRunSearch {
  test?: number;
  mine?: 1;
}

export function validateManualRunSearch(search: Record<string, unknown>): ManualRunSearch {
  const result: ManualRunSearch = {};
  const test = Number(search.test);
  if (Number.isInteger(test) && test > 0 && test <= 2_147_483_647) result.test = test;
  if (search.mine === "1" || search.mine === 1) result.mine = 1;
  return result;
}
