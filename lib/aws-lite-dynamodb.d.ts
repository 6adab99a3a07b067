/** The aws-lite DynamoDB plugin ships no types; lib/dynamo.ts passes it to the client as is. */
declare module '@aws-lite/dynamodb' {
  const plugin: unknown;
  export default plugin;
}
