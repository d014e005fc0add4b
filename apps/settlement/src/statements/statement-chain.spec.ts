import { createHash } from 'node:crypto';
import { chainHashOf, chainLink, checkChain, GENESIS_HASH, StoredLink } from './statement-chain';

const statement = (n: number) => ({
  statementId: `00000000-0000-4000-8000-00000000000${n}`,
  dealerCode: `D00${n}`,
  quarter: '2026-Q1',
  contentHash: String(n).repeat(64),
  postedAt: `2026-04-0${n}T02:00:00.000Z`,
});

/** Three links chained from the genesis hash, each statement's content intact. */
function chain(): StoredLink[] {
  let prev = GENESIS_HASH;
  return [1, 2, 3].map((n) => {
    const s = statement(n);
    const link = chainLink(s, n, prev);
    prev = link.chainHash;
    return { ...link, statement: s, recomputedContentHash: s.contentHash };
  });
}

describe('the chain of posted statements', () => {
  it('hashes the canonical JSON of sequence, statement, content hash, posting instant and previous hash', () => {
    const s = statement(1);
    const expected = createHash('sha256')
      .update(
        `{"contentHash":"${s.contentHash}","dealerCode":"D001","postedAt":"${s.postedAt}","prevHash":"${GENESIS_HASH}","quarter":"2026-Q1","sequence":1,"statementId":"${s.statementId}"}`,
      )
      .digest('hex');
    expect(chainHashOf(s, 1, GENESIS_HASH)).toBe(expected);
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
  });

  it('an intact chain matches', () => {
    expect(checkChain(chain(), GENESIS_HASH, 1)).toEqual({ checked: 3, firstFailure: null });
  });

  it('a statement whose lines no longer give its content hash is CONTENT_CHANGED', () => {
    const links = chain();
    links[1].recomputedContentHash = 'f'.repeat(64);
    expect(checkChain(links, GENESIS_HASH, 1).firstFailure).toMatchObject({
      sequence: 2,
      statementId: statement(2).statementId,
      reason: 'CONTENT_CHANGED',
    });
  });

  it('a rewritten content hash, previous hash or chain hash is LINK_BROKEN at that link', () => {
    const content = chain();
    content[1].statement = { ...content[1].statement!, contentHash: 'e'.repeat(64) };
    content[1].recomputedContentHash = 'e'.repeat(64);
    expect(checkChain(content, GENESIS_HASH, 1).firstFailure).toMatchObject({ sequence: 2, reason: 'LINK_BROKEN' });
    const prev = chain();
    prev[2].prevHash = 'a'.repeat(64);
    expect(checkChain(prev, GENESIS_HASH, 1).firstFailure).toMatchObject({ sequence: 3, reason: 'LINK_BROKEN' });
    const own = chain();
    own[0].chainHash = 'b'.repeat(64);
    expect(checkChain(own, GENESIS_HASH, 1)).toMatchObject({ checked: 0, firstFailure: { sequence: 1 } });
  });

  it('a gap in the sequence or a vanished statement is MISSING', () => {
    const gap = chain();
    gap.splice(1, 1);
    expect(checkChain(gap, GENESIS_HASH, 1).firstFailure).toMatchObject({ sequence: 2, reason: 'MISSING' });
    const gone = chain();
    gone[2].statement = null;
    expect(checkChain(gone, GENESIS_HASH, 1).firstFailure).toMatchObject({ sequence: 3, reason: 'MISSING' });
  });

  it('a range starting inside the chain checks its first link against the stored previous hash', () => {
    const links = chain();
    expect(checkChain(links.slice(1), links[0].chainHash, 2).firstFailure).toBeNull();
    expect(checkChain(links.slice(1), GENESIS_HASH, 2).firstFailure).toMatchObject({ reason: 'LINK_BROKEN' });
  });
});
