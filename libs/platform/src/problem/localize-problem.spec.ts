import { IsIn, IsInt, Matches, Max, MaxLength } from 'class-validator';
import { AMOUNT_REGEX, DEALER_CODE_REGEX } from '@app/contracts';
import { fieldError, fieldErrorOf } from './field-error';
import { localizeProblem } from './localize-problem';
import { problemText, ProblemException } from './problem.exception';
import { toProblem } from './problem-details.filter';
import { createValidationPipe } from './validation';

class Line {
  @Matches(DEALER_CODE_REGEX, { message: 'dealer must be a dealer code' }) dealer!: string;
  @Matches(AMOUNT_REGEX) amount!: string;
  @IsIn(['WARRANTY', 'STOCK']) purpose!: string;
  @IsInt() @Max(1000) units!: number;
  @MaxLength(8) note!: string;
}

async function refusal(body: unknown): Promise<ProblemException> {
  const pipe = createValidationPipe();
  return pipe.transform(body, { type: 'body', metatype: Line }).then(
    () => {
      throw new Error('accepted');
    },
    (e: ProblemException) => e,
  );
}

const rendered = (problem: ProblemException, language: 'en' | 'zh-CN') => {
  const { body, texts } = toProblem(problem);
  return localizeProblem(body, texts, language) as typeof body & {
    errors: Array<{ field: string; rule: string; message: string }>;
  };
};

describe('localizeProblem', () => {
  it('writes messages given as placeholder values in the language of the sentence they are in', () => {
    const why = {
      key: 'reasons.documentDate.beforeStep',
      args: {
        field: 'approvedOn',
        date: '2026-03-27',
        earlierField: 'filedOn',
        earlierDate: '2026-03-28',
        step: { key: 'reasons.steps.approval' },
        earlierStep: { key: 'reasons.steps.filing' },
      },
    };
    const error = fieldErrorOf('approvedOn', 'R-SET-10', why);
    const english = 'approvedOn 2026-03-27 is before filedOn 2026-03-28: the approval cannot precede the filing';
    expect(error.message).toBe(english);
    const problem = new ProblemException({
      status: 422,
      detail: problemText('documentDate', { messages: [why, why] }),
      errors: [error],
    });
    expect(problem.detail).toBe(`R-SET-10: ${english}; ${english}.`);
    const zh = rendered(problem, 'zh-CN');
    const chinese = 'approvedOn 2026-03-27 早于 filedOn 2026-03-28：审批日期不能早于提交申领日期';
    expect(zh.errors[0].message).toBe(chinese);
    expect(zh.detail).toBe(`R-SET-10 单据日期不符：${chinese}; ${chinese}。`);
  });

  const bad = { dealer: 'd 1', amount: '1.5', purpose: 'GIFT', units: 1001, note: '123456789', extra: 1 };

  it('keeps English exactly as written', async () => {
    const problem = await refusal(bad);
    expect(rendered(problem, 'en').errors.map((e) => e.message)).toEqual(problem.errors!.map((e) => e.message));
  });

  it('writes each field message in Chinese with the limits of its validator, names and rules unchanged', async () => {
    const zh = rendered(await refusal(bad), 'zh-CN');
    expect(zh).toMatchObject({ title: '校验未通过', detail: '共有 6 处字段未通过校验。' });
    expect(Object.fromEntries(zh.errors.map((e) => [`${e.field}:${e.rule}`, e.message]))).toEqual({
      'dealer:matches': 'dealer 必须是经销商代码：1–32 位大写字母、数字或短横线',
      'amount:matches': 'amount 必须是保留两位小数的金额（元），例如 1200.00',
      'purpose:isIn': 'purpose 必须是以下值之一：WARRANTY, STOCK',
      'units:max': 'units 不能大于 1000',
      'note:maxLength': 'note 的长度不能超过 8 个字符',
      'extra:forbidden': '该请求不接受字段 extra',
    });
  });

  it('translates keyed field errors with their arguments and rule-named ones by their rule', () => {
    const problem = new ProblemException({
      status: 422,
      errors: [
        fieldError('rows[2].dealerCode', 'knownDealer', 'validation.fields.dealerNotKnownToSettlement', { code: 'D9' }),
        { field: 'lines[0].purpose', rule: 'R-PRT-3', message: 'a STOCK line names no repair tickets' },
      ],
    });
    expect(rendered(problem, 'en')).toMatchObject({
      title: 'Unprocessable Content',
      errors: [
        { message: 'dealer D9 is not known to settlement yet' },
        { message: 'a STOCK line names no repair tickets' },
      ],
    });
    expect(rendered(problem, 'zh-CN')).toMatchObject({
      title: '无法处理的内容',
      errors: [
        { field: 'rows[2].dealerCode', rule: 'knownDealer', message: '结算服务尚未获知经销商 D9' },
        {
          field: 'lines[0].purpose',
          rule: 'R-PRT-3',
          message: 'lines[0].purpose 未通过校验（规则 R-PRT-3）：a STOCK line names no repair tickets',
        },
      ],
    });
  });

  it('falls back to the general message when the limits of a rule are not known', () => {
    const problem = new ProblemException({
      status: 400,
      errors: [{ field: 'note', rule: 'maxLength', message: 'note must be shorter than or equal to 8 characters' }],
    });
    expect(rendered(problem, 'zh-CN').errors[0].message).toBe(
      'note 未通过校验（规则 maxLength）：note must be shorter than or equal to 8 characters',
    );
  });

  it('leaves literal details as they are and never puts the key in the body', () => {
    const { body, texts } = toProblem(new ProblemException({ status: 400, detail: 'literal' }));
    const zh = localizeProblem(body, texts, 'zh-CN');
    expect(zh).toMatchObject({ title: '请求有误', detail: 'literal' });
    expect(
      JSON.stringify(
        rendered(
          new ProblemException({ status: 400, errors: [fieldError('a', 'b', 'validation.fields.cursor')] }),
          'zh-CN',
        ),
      ),
    ).not.toContain('validation.fields');
  });
});
