# One function per entry of resolvers.json's "functions", plus the authorizer, each from its
# own zip in dist/ (`make package`). source_code_hash makes Terraform redeploy a function only
# when its zip's bytes change, and the packaging is deterministic, so they change only with
# the code.
#
# Every change publishes a numbered version, and AppSync calls each function through its
# `live` alias, which Terraform points at the newest version. That is what SnapStart needs
# (it snapshots published versions only) and, SnapStart or not, it makes a rollback one
# command: `aws lambda update-alias --function-name <name>-<role> --name live
# --function-version <N>` (docs/DEPLOY.md).

resource "aws_cloudwatch_log_group" "function" {
  #checkov:skip=CKV_AWS_158:Logs hold no secrets (tokens are never logged) and CloudWatch encrypts them at rest; a customer-managed KMS key is not worth its cost here.
  #checkov:skip=CKV_AWS_338:Short retention is deliberate: logs of anonymous boards should not outlive their use (see log_retention_days).
  for_each = local.functions

  name              = "/aws/lambda/${var.name}-${each.key}"
  retention_in_days = var.log_retention_days
}

resource "aws_iam_role" "function" {
  for_each = local.functions

  name = "${var.name}-${each.key}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# Only the DynamoDB actions resolvers.json lists for the function, on the table and its
# index; its own log group; X-Ray segments.
resource "aws_iam_role_policy" "function" {
  for_each = local.functions

  name = "${var.name}-${each.key}"
  role = aws_iam_role.function[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Table"
        Effect   = "Allow"
        Action   = each.value.dynamodbActions
        Resource = [aws_dynamodb_table.main.arn, "${aws_dynamodb_table.main.arn}/index/*"]
      },
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.function[each.key].arn}:*"
      },
      {
        # X-Ray has no resource-level permissions: these two actions only take "*".
        Sid      = "Tracing"
        Effect   = "Allow"
        Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        Resource = "*"
      },
    ]
  })
}

resource "aws_lambda_function" "function" {
  #checkov:skip=CKV_AWS_116:AppSync invokes these functions synchronously and gets the error back; a dead-letter queue only applies to asynchronous invocations.
  #checkov:skip=CKV_AWS_117:The functions reach only DynamoDB, over IAM-authenticated HTTPS; a VPC would add NAT or endpoint cost and cold-start time for no isolation gain.
  #checkov:skip=CKV_AWS_272:Code signing needs a signing profile and a signed-upload pipeline; the zips are built reproducibly from this repository instead.
  #checkov:skip=CKV_AWS_173:The environment holds only the table name and a log level, no secrets; AWS encrypts it at rest with its own key.
  for_each = local.functions

  function_name    = "${var.name}-${each.key}"
  description      = each.value.description
  role             = aws_iam_role.function[each.key].arn
  filename         = "${local.package_dir}/${each.key}.zip"
  source_code_hash = filebase64sha256("${local.package_dir}/${each.key}.zip")
  handler          = each.value.handler
  runtime          = var.lambda_runtime
  architectures    = [var.lambda_architecture]
  memory_size      = var.lambda_memory_mb
  timeout          = var.lambda_timeout_seconds

  # -1 is Lambda's "no reservation": the account's unreserved pool (see the variable).
  reserved_concurrent_executions = coalesce(var.lambda_reserved_concurrency, -1)

  # A new version for every change of code or configuration; the alias below serves it.
  publish = true

  # Lambda initializes a published version once (imports, module-level setup), snapshots it,
  # and starts later execution environments from the snapshot (see lambda_snapstart).
  dynamic "snap_start" {
    for_each = var.lambda_snapstart ? ["on"] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  environment {
    variables = {
      RETRO_TABLE     = aws_dynamodb_table.main.name
      RETRO_LOG_LEVEL = var.log_level
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function[each.key].name
  }

  lifecycle {
    precondition {
      condition     = local.build.architecture == var.lambda_architecture
      error_message = "The package in ${local.package_dir} was built for ${local.build.architecture}, but lambda_architecture is ${var.lambda_architecture}: rebuild with `python -m retro_tools.packaging --arch ${var.lambda_architecture}` or change the variable."
    }
    precondition {
      condition     = "python${local.build.pythonVersion}" == var.lambda_runtime
      error_message = "The package in ${local.package_dir} was built for python${local.build.pythonVersion}, but lambda_runtime is ${var.lambda_runtime}: rebuild with `python -m retro_tools.packaging --python-version ${trimprefix(var.lambda_runtime, "python")}` or change the variable."
    }
    precondition {
      # lambda_runtime's own validation guarantees the "python3.<minor>" shape.
      condition     = !var.lambda_snapstart || tonumber(split(".", var.lambda_runtime)[1]) >= 12
      error_message = "lambda_snapstart = true needs Python 3.12 or later (Lambda offers SnapStart for no older Python runtime), but lambda_runtime is ${var.lambda_runtime}: set lambda_snapstart = false or move to python3.12."
    }
  }

  # The role's policy must exist before the first invocation can log or read the table.
  depends_on = [aws_iam_role_policy.function]
}

# What AppSync invokes: the data sources, their roles and the authorizer all name this alias,
# never the function's unqualified ARN ($LATEST, which SnapStart does not apply to).
resource "aws_lambda_alias" "live" {
  for_each = local.functions

  name             = "live"
  description      = "The version AppSync calls: the newest on every apply; point it at an older one to roll back."
  function_name    = aws_lambda_function.function[each.key].function_name
  function_version = aws_lambda_function.function[each.key].version
}
