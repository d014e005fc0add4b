import request from 'supertest';
import { ServiceUnderTest, startServiceUnderTest } from '@app/testing';
import { DealersAppModule } from './dealers-app.module';

/** Setup shared by the dealers integration suites (their assertions stay in the suites). */

/** The dealers service on a database of its own, with the broker. */
export const startDealersService = (database: string, extra?: Record<string, string>): Promise<ServiceUnderTest> =>
  startServiceUnderTest('dealers', (c) => DealersAppModule.register(c), database, extra);

/** Registers the dealers a suite starts from, named `Dealer <code>`. */
export async function registerDealers(url: string, auth: { Authorization: string }, codes: string[]): Promise<void> {
  for (const code of codes) {
    await request(url)
      .post('/v1/dealers')
      .set(auth)
      .send({ code, name: `Dealer ${code}` })
      .expect(201);
  }
}
