################################################################################
# Releases: CodeDeploy shifts each function's alias, canary first, back on an alarm
################################################################################

# One application per region (CodeDeploy is regional) with a deployment group per function. Terraform
# cannot start or wait for a deployment: `make release` (tools/release) creates one per function whose
# alias is behind its latest published version, with an AppSpec naming the alias, CurrentVersion and
# TargetVersion (codedeploy userguide, reference-appspec-file-structure-resources, Lambda).
resource "aws_codedeploy_app" "this" {
  region = var.region

  name             = var.name
  compute_platform = "Lambda"
}

resource "aws_codedeploy_deployment_group" "this" {
  for_each = var.operations
  region   = var.region

  app_name              = aws_codedeploy_app.this.name
  deployment_group_name = var.functions[each.key].name
  service_role_arn      = var.release_settings.codedeploy_role_arn
  # Canary: the configured share of the alias's traffic goes to the new version for the interval, then
  # all of it (codedeploy userguide, deployment-configurations: CodeDeployDefault.LambdaCanary10Percent5Minutes).
  deployment_config_name = var.release_settings.deployment_config

  # A Lambda deployment is always blue/green with traffic control: the alias's weights are the traffic
  # (codedeploy userguide, deployment-steps-lambda).
  deployment_style {
    deployment_option = "WITH_TRAFFIC_CONTROL"
    deployment_type   = "BLUE_GREEN"
  }

  # An alarm in ALARM state stops the deployment and CodeDeploy points the alias back at the version it
  # served before (codedeploy userguide, deployments-rollback-and-redeploy: automatic rollbacks).
  alarm_configuration {
    enabled = true
    alarms  = [aws_cloudwatch_metric_alarm.server_error_rate.alarm_name, aws_cloudwatch_metric_alarm.latency_p99.alarm_name]
  }

  auto_rollback_configuration {
    enabled = true
    events  = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
  }
}
