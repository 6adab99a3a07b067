// A serverless plugin: before serverless-offline starts or `invoke local` runs on a local
// stage, create the tables declared under `resources` in DynamoDB Local (DYNAMODB_ENDPOINT).
'use strict';

class LocalTablesPlugin {
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options;
    this.hooks = {
      'before:offline:start:init': () => this.createTables(),
      'before:invoke:local:invoke': () => this.createTables(),
    };
  }

  async createTables() {
    const stage = this.serverless.service.provider.stage;
    const endpoint = process.env.DYNAMODB_ENDPOINT;
    const { LOCAL_STAGES } = await import('./settings.mjs');
    if (!LOCAL_STAGES.has(stage) || !endpoint) return;
    const { localDynamoClient, tableDefinitions, ensureTables } = await import('./tables.mjs');
    const client = localDynamoClient(endpoint);
    try {
      const definitions = tableDefinitions(this.serverless.service.resources?.Resources);
      const created = await ensureTables(client, definitions);
      const note = created.length ? `created ${created.join(', ')}` : 'all present';
      this.serverless.cli.log(`DynamoDB tables at ${endpoint}: ${note}`);
    } finally {
      client.destroy();
    }
  }
}

module.exports = LocalTablesPlugin;
