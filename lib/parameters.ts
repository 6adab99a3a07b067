/**
 * A setting that comes from the environment on local stages and from SSM Parameter Store on
 * deployed ones (read once per container, never written into a template).
 */
export type ParameterSource = { from: 'env'; value: string } | { from: 'ssm'; name: string } | { from: 'none' };

export type FetchParameter = (name: string) => Promise<string | undefined>;

/** The environment's value wins; else the named SSM parameter; else nothing. */
export function parameterSource(value: string | undefined, parameterName: string | undefined): ParameterSource {
  if (value !== undefined && value !== '') return { from: 'env', value };
  if (parameterName !== undefined && parameterName !== '') return { from: 'ssm', name: parameterName };
  return { from: 'none' };
}

export async function resolveParameter(source: ParameterSource, fetchParameter: FetchParameter = fetchSsmParameter): Promise<string | undefined> {
  if (source.from === 'env') return source.value;
  if (source.from === 'none') return undefined;
  return fetchParameter(source.name);
}

/** SecureString parameters are decrypted; plain ones are read as they are. A missing one is `undefined`. */
export async function fetchSsmParameter(name: string): Promise<string | undefined> {
  const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
  return getParameter(name, { decrypt: true, maxAge: 900 });
}

/** A cached, retried-on-failure async value: the first caller loads it, a failure is not kept. */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}
