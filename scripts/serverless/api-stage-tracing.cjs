// A serverless plugin: X-Ray tracing of the REST API stage, written into the template. osls
// turns `provider.tracing.apiGateway` into an API call after the deploy (outside CloudFormation,
// so a failed or skipped call leaves the stage untraced unnoticed); this writes `TracingEnabled`
// into the stage the API Gateway Deployment creates (its StageDescription), like api-throttling.cjs.
'use strict';

class ApiStageTracingPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.addTracing() };
  }

  addTracing() {
    const tracing = this.serverless.service.provider.tracing?.apiGateway;
    if (tracing === undefined) return;
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::ApiGateway::Deployment') continue;
      resource.Properties.StageDescription = { ...resource.Properties.StageDescription, TracingEnabled: tracing === true };
    }
  }
}

module.exports = ApiStageTracingPlugin;
