import { describe, expect, it } from '@jest/globals';
import { runInvocation, spansOf, startInvocation } from '../../lib/trace';
import { createPasswordHasher } from './passwords';

/** bcrypt's work shows in a login's or a registration's trace as a span of its own. */
describe('createPasswordHasher', () => {
  it('hashes and verifies, each as a bcrypt span with its cost', async () => {
    // Prepare
    const hasher = createPasswordHasher(4);
    const invocation = startInvocation({ traceparent: undefined, xrayHeader: undefined });

    // Act
    const [good, bad] = await runInvocation(invocation, async () => {
      const hash = await hasher.hash('motdepasse');
      return [await hasher.verify('motdepasse', hash), await hasher.verify('autre-chose', hash)];
    });

    // Assess
    expect([good, bad]).toEqual([true, false]);
    expect(spansOf(invocation).map((span) => [span.name, span.attrs])).toEqual([
      ['bcrypt.hash', { cost: 4 }],
      ['bcrypt.compare', { cost: 4 }],
      ['bcrypt.compare', { cost: 4 }],
    ]);
  });

  it('spends a compare on an unknown user too, and refuses it', async () => {
    // Prepare
    const hasher = createPasswordHasher(4);
    const invocation = startInvocation({ traceparent: undefined, xrayHeader: undefined });

    // Act
    const matches = await runInvocation(invocation, () => hasher.verify('motdepasse', undefined));

    // Assess
    expect(matches).toBe(false);
    expect(spansOf(invocation).map((span) => span.name)).toContain('bcrypt.compare');
  });
});
