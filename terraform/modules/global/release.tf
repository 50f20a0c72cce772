################################################################################
# Releases: the role CodeDeploy uses to shift the functions' aliases (every region)
################################################################################

data "aws_iam_policy_document" "codedeploy_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["codedeploy.amazonaws.com"]
    }
  }
}

# One role for every region's deployment groups (IAM is global).
resource "aws_iam_role" "codedeploy" {
  name               = "${var.name}-code-deploy" # hyphenated: no operation's role "<name>-<operation_id>" can take it
  description        = "Lets CodeDeploy shift the aliases of ${var.name}'s functions and read their alarms (make release)"
  assume_role_policy = data.aws_iam_policy_document.codedeploy_assume_role.json
}

# AWS's policy for Lambda deployments (codedeploy userguide, getting-started-create-service-role: "For
# AWS Lambda: AWSCodeDeployRoleForLambda"): get and update aliases, describe alarms, invoke hooks.
resource "aws_iam_role_policy_attachment" "codedeploy" {
  role       = aws_iam_role.codedeploy.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda"
}
