import { applyDecorators, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiDoc, ApiPageResponse, ApiProblems, domainProblem, IDEMPOTENT_REPLAYED_HEADER, Roles } from '@app/platform';
import type { Recorded } from './penalty-inputs.service';

/** POST of a complaint or violation: after-sales records it; a retry of the same reference answers the first record. */
export const RecordPenaltyInput = (type: new () => unknown) => {
  const kind = type.name.replace(/View$/, '');
  return applyDecorators(
    Post(),
    HttpCode(201),
    Roles('after-sales'),
    ApiDoc({
      id: `record${kind}`,
      summary: `Record a ${kind.toLowerCase()}`,
      description: `Records a ${kind.toLowerCase()} attributed to a dealer with its date and amount (by default the amount of the dealer's terms); it enters the statement of its date's quarter as a penalty.`,
      rules: ['R-SET-2', 'R-SET-10'],
    }),
    ApiProblems(
      400,
      domainProblem(
        409,
        'REFERENCE_REUSED',
        `${kind} reference CMP-2026-001 was already recorded with other content (id 7d3c…).`,
        'The reference was recorded with other content',
      ),
    ),
    ApiCreatedResponse({
      type,
      description: 'Idempotent on reference: the same content again answers the first record; other content is a 409',
    }),
  );
};

/** The record's view; a replayed answer is marked with the idempotent-replay header. */
export function answerRecorded(reply: FastifyReply, { view, created }: Recorded): Recorded['view'] {
  if (!created) reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return view;
}

/** The documentation of GET /v1/complaints and /v1/violations: one page, filtered by dealer and month. */
export const ListPenaltyInputsDoc = (type: new () => unknown) => {
  const kind = type.name.replace(/View$/, '');
  return applyDecorators(
    ApiDoc({
      id: `list${kind}s`,
      summary: `List ${kind.toLowerCase()}s`,
      description: `${kind}s, newest date first, filtered by dealer and month; a dealer sees only its own.`,
    }),
    ApiPageResponse(type, `One page of ${kind.toLowerCase()}s, newest date first`),
    ApiProblems(400),
  );
};

/** The documentation of GET /v1/complaints/{id} and /v1/violations/{id}. */
export const GetPenaltyInputDoc = (type: new () => unknown) => {
  const kind = type.name.replace(/View$/, '');
  const id = '7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a09';
  return applyDecorators(
    ApiDoc({
      id: `get${kind}`,
      summary: `Read a ${kind.toLowerCase()}`,
      description: `One ${kind.toLowerCase()}; a dealer reads only its own.`,
    }),
    ApiParam({ name: 'id', description: `The ${kind.toLowerCase()} id (UUID)`, example: id }),
    ApiOkResponse({ type, description: `The ${kind.toLowerCase()}` }),
    ApiProblems({
      status: 404,
      detail: `${kind} ${id} was not found.`,
      description: `No ${kind.toLowerCase()} with this id`,
    }),
  );
};
