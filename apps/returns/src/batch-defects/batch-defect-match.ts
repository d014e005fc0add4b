/** A batch of one model declared defective by after-sales: the serials from `serialFrom` to `serialTo`, inclusive. */
export interface BatchDefectRange {
  id: string;
  model: string;
  serialFrom: string;
  serialTo: string;
  reason: string;
}

/**
 * R-RET-2 BATCH_DEFECT: a line falls in a declared batch when its model is the batch's and its serial
 * lies in the range — compared as text of the same length, so EB100-000100 … EB100-000199 is one batch.
 * The first matching declaration wins (declarations are given oldest first).
 */
export function matchBatchDefect<T extends BatchDefectRange>(
  defects: readonly T[],
  line: { model: string; serial: string },
): T | undefined {
  return defects.find(
    (d) =>
      d.model === line.model &&
      line.serial.length === d.serialFrom.length &&
      line.serial.length === d.serialTo.length &&
      d.serialFrom <= line.serial &&
      line.serial <= d.serialTo,
  );
}
