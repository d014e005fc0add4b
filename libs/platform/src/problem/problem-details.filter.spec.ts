import { BadRequestException, ForbiddenException, HttpException, NotFoundException } from '@nestjs/common';
import { errorCodes } from 'fastify';
import { DomainError } from './domain-error';
import { ProblemException } from './problem.exception';
import { toProblem } from './problem-details.filter';

describe('toProblem', () => {
  it('keeps ProblemException fields and extras', () => {
    const { body } = toProblem(
      new ProblemException({
        status: 409,
        type: 'idempotency-key-reused',
        detail: 'd',
        code: 'C',
        extra: { hint: 'x' },
      }),
    );
    expect(body).toEqual({
      type: 'https://errors.after-sales.example/idempotency-key-reused',
      title: 'Conflict',
      status: 409,
      detail: 'd',
      code: 'C',
      hint: 'x',
    });
  });

  it('maps domain errors by code and status hint', () => {
    const { body } = toProblem(new DomainError('DISPUTE_WINDOW_CLOSED', 'Too late', 422));
    expect(body).toMatchObject({ status: 422, code: 'DISPUTE_WINDOW_CLOSED', detail: 'Too late' });
    expect(body.type).toBe('https://errors.after-sales.example/dispute-window-closed');
  });

  it('maps Nest HTTP exceptions', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x')).body).toMatchObject({
      status: 404,
      detail: 'Cannot GET /x',
    });
    expect(toProblem(new ForbiddenException()).body.type).toMatch(/\/forbidden$/);
    expect(toProblem(new HttpException('Unsupported Media Type: text/foo', 415)).body.type).toMatch(
      /\/unsupported-media-type$/,
    );
    expect(toProblem(new HttpException('x', 405)).body.type).toMatch(/\/method-not-allowed$/);
  });

  it('recognises fastify body errors', () => {
    const invalid = new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();
    expect(toProblem(new BadRequestException(invalid.message)).body.type).toMatch(/\/malformed-body$/);
    expect(toProblem(new HttpException('Request body is too large', 413)).body).toMatchObject({ status: 413 });
    expect(toProblem(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE()).body).toMatchObject({ status: 413 });
  });

  it('answers a multipart body that ends before its closing boundary as malformed', () => {
    for (const message of [
      'Unexpected end of multipart data',
      'Part terminated early due to unexpected end of multipart data',
      'Multipart: Boundary not found',
    ]) {
      const { body, unexpected } = toProblem(new Error(message));
      expect(unexpected).toBeUndefined();
      expect(body).toMatchObject({ status: 400, detail: 'The multipart body is not well formed.' });
      expect(body.type).toMatch(/\/malformed-body$/);
    }
  });

  it('hides unexpected errors', () => {
    const rendered = toProblem(new Error('db password=secret'));
    expect(rendered.unexpected).toBe(true);
    expect(rendered.body).toEqual({
      type: 'https://errors.after-sales.example/internal',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
    });
    expect(toProblem(new HttpException('internal detail', 502)).body.detail).toBeUndefined();
  });
});
