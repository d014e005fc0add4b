import { BatchDefectRange, matchBatchDefect } from '../batch-defects/batch-defect-match';
import { ClassifiableLine, ClassificationTerms, classifyReturnLine, LineClassification } from './classify-return-line';

export interface LineToClassify extends ClassifiableLine {
  lineNo: number;
  model: string;
  serial: string;
}

export interface ClassifiedReturnLine {
  classification: LineClassification;
  batchDefectId: string | null;
}

/**
 * Classifies each line as of the application date with the terms of its month (R-AGR-1, R-RET-2),
 * by line number; empty when the dealer had no terms that month.
 */
export function classifyLines(
  lines: readonly LineToClassify[],
  terms: { terms: ClassificationTerms } | undefined,
  applicationDate: string,
  defects: readonly BatchDefectRange[],
): Map<number, ClassifiedReturnLine> {
  const out = new Map<number, ClassifiedReturnLine>();
  if (!terms) return out;
  for (const line of lines) {
    const defect = matchBatchDefect(defects, line);
    out.set(line.lineNo, {
      classification: classifyReturnLine(
        line,
        terms.terms,
        applicationDate,
        defect ? { id: defect.id, reason: defect.reason } : null,
      ),
      batchDefectId: defect?.id ?? null,
    });
  }
  return out;
}
