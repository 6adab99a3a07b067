// A serverless plugin: stage-wide throttling for the REST API. Serverless Framework has no
// setting for it, so the limits from `custom.apiThrottling` are written into the stage the
// API Gateway Deployment creates (its StageDescription), before the template is saved.
'use strict';

class ApiThrottlingPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.addThrottling() };
  }

  addThrottling() {
    const settings = this.serverless.service.custom?.apiThrottling;
    if (!settings) return;
    const rateLimit = Number(settings.rateLimit);
    const burstLimit = Number(settings.burstLimit);
    if (!Number.isFinite(rateLimit) || !Number.isInteger(burstLimit) || rateLimit <= 0 || burstLimit <= 0) {
      throw new Error(`custom.apiThrottling needs positive rateLimit and burstLimit, got ${JSON.stringify(settings)}`);
    }
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::ApiGateway::Deployment') continue;
      resource.Properties.StageDescription = {
        ...resource.Properties.StageDescription,
        ThrottlingRateLimit: rateLimit,
        ThrottlingBurstLimit: burstLimit,
      };
    }
  }
}

module.exports = ApiThrottlingPlugin;
