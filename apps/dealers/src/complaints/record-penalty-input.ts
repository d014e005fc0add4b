import { applyDecorators, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IDEMPOTENT_REPLAYED_HEADER, Roles } from '@app/platform';
import type { Recorded } from './penalty-inputs.service';

/** POST of a complaint or violation: after-sales records it; a retry of the same reference answers the first record. */
export const RecordPenaltyInput = (type: new () => unknown) =>
  applyDecorators(
    Post(),
    HttpCode(201),
    Roles('after-sales'),
    ApiCreatedResponse({
      type,
      description: 'Idempotent on reference: the same content again answers the first record; other content is a 409',
    }),
  );

/** The record's view; a replayed answer is marked with the idempotent-replay header. */
export function answerRecorded(reply: FastifyReply, { view, created }: Recorded): Recorded['view'] {
  if (!created) reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return view;
}
