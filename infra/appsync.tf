# The GraphQL API, exactly as schema/schema.graphql defines it. One authorization mode,
# AWS_LAMBDA: every request's Authorization header goes to the authorizer, which admits a user
# token, or the public anonymous credential with every field but createUser denied
# (resolvers/authorizer.py; why no API key: docs/ARCHITECTURE.md, "Authorization").

locals {
  graphql_url  = aws_appsync_graphql_api.main.uris["GRAPHQL"]
  realtime_url = aws_appsync_graphql_api.main.uris["REALTIME"]

  # The client's config.json: exactly the keys client/js/config.js reads. Uploaded next to the
  # client by hosting.tf, and the client_config output for a client hosted elsewhere.
  client_config = jsonencode({
    graphqlUrl  = local.graphql_url
    realtimeUrl = local.realtime_url
  })
}

resource "aws_appsync_graphql_api" "main" {
  #checkov:skip=CKV2_AWS_78:The attached web ACL has AWS's known-bad-inputs (Log4j) group; the check also demands the anonymous-IP list, which blocks VPN, Tor and cloud-hosted clients: teams behind corporate VPNs and scripted integrators would be locked out.
  name                 = var.name
  authentication_type  = "AWS_LAMBDA"
  schema               = file("${path.module}/../schema/schema.graphql")
  xray_enabled         = true
  query_depth_limit    = var.query_depth_limit
  resolver_count_limit = var.resolver_count_limit
  introspection_config = var.introspection_enabled ? "ENABLED" : "DISABLED"

  lambda_authorizer_config {
    authorizer_uri                   = aws_lambda_alias.live["authorizer"].arn
    authorizer_result_ttl_in_seconds = local.resolver_map.authorizer.ttlSeconds
    # "anonymous" or a user token "<id>.<secret>" (retro/services/users.py): AppSync refuses
    # anything else before paying for an authorizer invocation. From resolvers.json, which
    # the local server reads too.
    identity_validation_expression = local.resolver_map.authorizer.identityValidationExpression
  }

  # Errors only, and never the headers, arguments or results: those may carry user tokens
  # and the text of anonymous notes.
  log_config {
    cloudwatch_logs_role_arn = aws_iam_role.appsync_logs.arn
    field_log_level          = "ERROR"
    exclude_verbose_content  = true
  }
}

# --- Logging --------------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "appsync" {
  #checkov:skip=CKV_AWS_158:Error-level logs without verbose content hold no secrets; CloudWatch encrypts them at rest, a customer-managed KMS key is not worth its cost here.
  #checkov:skip=CKV_AWS_338:Short retention is deliberate: logs of anonymous boards should not outlive their use (see log_retention_days).
  name              = "/aws/appsync/apis/${aws_appsync_graphql_api.main.id}"
  retention_in_days = var.log_retention_days
}

resource "aws_iam_role" "appsync_logs" {
  name = "${var.name}-appsync-logs"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "appsync.amazonaws.com" }
      Action    = "sts:AssumeRole"
      # The API's ARN cannot be named here (the API needs this role first): any API of
      # this account and region.
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
        ArnLike      = { "aws:SourceArn" = "arn:${local.partition}:appsync:${var.region}:${local.account_id}:apis/*" }
      }
    }]
  })
}

# Write to the API's own log group, which Terraform creates (with retention), so AppSync gets
# no logs:CreateLogGroup.
resource "aws_iam_role_policy" "appsync_logs" {
  name = "${var.name}-appsync-logs"
  role = aws_iam_role.appsync_logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "Logs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${aws_cloudwatch_log_group.appsync.arn}:*"
    }]
  })
}

# --- Data sources and resolvers -------------------------------------------------------------

resource "aws_iam_role" "datasource" {
  for_each = local.resolver_map.functions

  name = "${var.name}-appsync-${each.key}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "appsync.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
        ArnEquals    = { "aws:SourceArn" = aws_appsync_graphql_api.main.arn }
      }
    }]
  })
}

resource "aws_iam_role_policy" "datasource" {
  for_each = local.resolver_map.functions

  name = "${var.name}-appsync-${each.key}"
  role = aws_iam_role.datasource[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      # The alias's ARN, exactly: it allows neither $LATEST nor another version or alias.
      Sid      = "Invoke"
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunction"]
      Resource = aws_lambda_alias.live[each.key].arn
    }]
  })
}

resource "aws_appsync_datasource" "function" {
  for_each = local.resolver_map.functions

  api_id           = aws_appsync_graphql_api.main.id
  name             = "lambda_${each.key}"
  description      = each.value.description
  type             = "AWS_LAMBDA"
  service_role_arn = aws_iam_role.datasource[each.key].arn

  lambda_config {
    function_arn = aws_lambda_alias.live[each.key].arn
  }

  depends_on = [aws_iam_role_policy.datasource]
}

# One direct Lambda resolver per "Type.field" of resolvers.json: no mapping templates, so
# AppSync sends its standard event and uses the handler's return value (APPSYNC.md).
# Subscription fields too: their resolver runs when a client subscribes and returns null.
resource "aws_appsync_resolver" "field" {
  for_each = local.resolver_map.resolvers

  api_id      = aws_appsync_graphql_api.main.id
  type        = split(".", each.key)[0]
  field       = split(".", each.key)[1]
  kind        = "UNIT"
  data_source = aws_appsync_datasource.function[each.value.function].name
  # AppSync sends up to this many field events in one invocation (a list); absent = no batching.
  max_batch_size = try(each.value.maxBatchSize, null)
}

# AppSync may call the authorizer's live alias, and only for this API.
resource "aws_lambda_permission" "authorizer" {
  statement_id   = "AppSyncAuthorizer"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.function["authorizer"].function_name
  qualifier      = aws_lambda_alias.live["authorizer"].name
  principal      = "appsync.amazonaws.com"
  source_arn     = aws_appsync_graphql_api.main.arn
  source_account = local.account_id
}
