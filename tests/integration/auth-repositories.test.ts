import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from '@jest/globals';
import { createLoginAttemptsRepository } from '../../functions/auth/login-attempts-repository';
import type { RefreshTokenRecord } from '../../functions/auth/model';
import { createRefreshTokensRepository } from '../../functions/auth/refresh-tokens-repository';
import { createUsersRepository } from '../../functions/auth/users-repository';
import { testDocumentClient, testDynamo, testStack, uniqueName } from '../support/env';

const db = testDocumentClient();
const dynamo = testDynamo();
const { table } = testStack();

describe('users repository on DynamoDB Local', () => {
  const users = createUsersRepository(dynamo, table('users'));

  it('keeps one user per name, case-insensitively, under 20 concurrent creates', async () => {
    const name = uniqueName('Race');
    const variants = Array.from({ length: 20 }, (_, i) => (i % 2 ? name.toUpperCase() : name.toLowerCase()));
    const results = await Promise.all(variants.map((username, i) => users.create({ username, passwordHash: `hash-${i}`, createdAt: 'now' })));
    expect(results.filter(Boolean)).toHaveLength(1);
    const { Item } = await db.send(new GetCommand({ TableName: table('users'), Key: { username: name.toLowerCase() } }));
    expect(Item?.passwordHash).toBe(`hash-${results.indexOf(true)}`);
  });

  it('finds a user by any case and returns the name as registered', async () => {
    const name = uniqueName('Mixed');
    await users.create({ username: name, passwordHash: 'h', createdAt: 'now' });
    expect((await users.find(name.toUpperCase()))?.username).toBe(name);
    expect(await users.find(uniqueName('missing'))).toBeUndefined();
  });
});

describe('refresh tokens repository on DynamoDB Local', () => {
  const repo = createRefreshTokensRepository(dynamo, table('refresh-tokens'));
  const record = (overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord => ({
    tokenHash: randomUUID(),
    familyId: randomUUID(),
    username: 'alice',
    state: 'active',
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    ...overrides,
  });

  it('lets exactly one of two concurrent rotations of a token win', async () => {
    const first = record();
    await repo.createFamily(first, 'now');
    const results = await Promise.all([repo.rotate(first, record({ familyId: first.familyId }), 'now'), repo.rotate(first, record({ familyId: first.familyId }), 'now')]);
    expect(results.filter((result) => result === 'rotated')).toHaveLength(1);
    expect((await repo.findToken(first.tokenHash))?.state).toBe('rotated');
  });

  it('refuses to rotate any token of a revoked family', async () => {
    const first = record();
    await repo.createFamily(first, 'now');
    await repo.revokeFamily(first.familyId, 'now');
    expect(await repo.rotate(first, record({ familyId: first.familyId }), 'now')).toBe('family-revoked');
    expect((await repo.findFamily(first.familyId))?.revoked).toBe(true);
  });

  it('reissues a rotated token once, only within the window it is given, and never in a revoked family', async () => {
    // Prepare: a token rotated at 12:00:00.000.
    const first = record();
    await repo.createFamily(first, 'now');
    await repo.rotate(first, record({ familyId: first.familyId }), '2026-06-01T12:00:00.000Z');
    const rotated = await repo.findToken(first.tokenHash);
    if (!rotated) throw new Error('rotated token not found');
    const reissueSince = (rotatedSince: string) => repo.reissue(rotated, record({ familyId: first.familyId }), { rotatedSince, reissuedAt: 'later' });

    // Act
    const afterWindow = await reissueSince('2026-06-01T12:00:00.001Z');
    const concurrent = await Promise.all([reissueSince('2026-06-01T12:00:00.000Z'), reissueSince('2026-06-01T11:59:50.000Z')]);
    await repo.revokeFamily(first.familyId, 'now');
    const other = record();
    await repo.createFamily(other, 'now');
    await repo.rotate(other, record({ familyId: other.familyId }), '2026-06-01T12:00:00.000Z');
    await repo.revokeFamily(other.familyId, 'now');
    const revoked = await repo.reissue({ ...other, state: 'rotated' }, record({ familyId: other.familyId }), {
      rotatedSince: '2026-06-01T11:00:00.000Z',
      reissuedAt: 'later',
    });

    // Assess
    expect(rotated).toMatchObject({ state: 'rotated', rotatedAt: '2026-06-01T12:00:00.000Z', graceUsed: false });
    expect(afterWindow).toBe('refused');
    expect(concurrent.sort()).toEqual(['refused', 'reissued']);
    expect((await repo.findToken(first.tokenHash))?.graceUsed).toBe(true);
    expect(revoked).toBe('family-revoked');
  });

  it('reads a family eventually consistently when asked (the authorizer’s hot path)', async () => {
    const first = record();
    await repo.createFamily(first, 'now');
    expect(await repo.findFamily(first.familyId, { consistent: false })).toMatchObject({ familyId: first.familyId, revoked: false });
  });

  it('revoking an unknown family is a no-op', async () => {
    await expect(repo.revokeFamily(randomUUID(), 'now')).resolves.toBeUndefined();
  });
});

describe('login attempts repository on DynamoDB Local', () => {
  const repo = createLoginAttemptsRepository(dynamo, table('login-attempts'));

  it('counts attempts atomically, counts nothing while locked, allows one attempt after a lock, and clears', async () => {
    // Prepare: five attempts at once get five distinct numbers.
    const name = uniqueName('guess');
    const starts = await Promise.all(Array.from({ length: 5 }, () => repo.begin(name, 1000, 9_999_999_999)));
    expect(starts.map((start) => (start.locked ? 0 : start.attempt)).sort()).toEqual([1, 2, 3, 4, 5]);

    // Act: two concurrent lockers; the name is locked once.
    await Promise.all([repo.lock(name, 1000, 5000), repo.lock(name, 1000, 9000)]);
    const whileLocked = await repo.begin(name.toUpperCase(), 2000, 9_999_999_999);
    const afterLock = await repo.begin(name, 10_000, 9_999_999_999);
    await repo.clear(name);
    const afterClear = await repo.begin(name, 10_000, 9_999_999_999);

    // Assess
    expect(whileLocked).toEqual({ locked: true, lockedUntil: expect.any(Number) });
    expect([5000, 9000]).toContain(whileLocked.locked && whileLocked.lockedUntil);
    expect(afterLock).toEqual({ locked: false, attempt: 6, allowed: 6, locks: 1 });
    expect(afterClear).toEqual({ locked: false, attempt: 1, allowed: undefined, locks: 0 });
  });
});
