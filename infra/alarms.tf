# Alarms on what needs a person: functions failing or throttled, the API failing or slow, WAF
# blocking a flood. Every alarm notifies one SNS topic on alarm and on recovery; alarm_email
# subscribes an address to it. No traffic is no problem: missing data never raises an alarm.

locals {
  alarm_actions = [aws_sns_topic.alarms.arn]
}

resource "aws_sns_topic" "alarms" {
  #checkov:skip=CKV_AWS_26:Alarm messages hold only alarm names, states and metric values, no user data; CloudWatch cannot publish to a topic under the AWS-managed aws/sns key, and a customer-managed key ($1/month) would protect nothing here.
  name = "${var.name}-alarms"
}

# CloudWatch alarms of this stack, in this account, may publish; nothing else may.
resource "aws_sns_topic_policy" "alarms" {
  arn = aws_sns_topic.alarms.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "CloudWatchAlarms"
      Effect    = "Allow"
      Principal = { Service = "cloudwatch.amazonaws.com" }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.alarms.arn
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
        ArnLike      = { "aws:SourceArn" = "arn:${local.partition}:cloudwatch:${var.region}:${local.account_id}:alarm:${var.name}-*" }
      }
    }]
  })
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count = var.alarm_email == "" ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# --- Lambda ---------------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "function_errors" {
  for_each = local.functions

  alarm_name          = "${var.name}-${each.key}-errors"
  alarm_description   = "The ${each.key} function failed at least ${var.alarm_function_errors} times in 5 minutes (errors the API answers count too). Its log group holds each unexpected error with its correlation id."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.function[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.alarm_function_errors
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# A throttled call is an error the user sees: the account's (or the function's reserved)
# concurrency is exhausted.
resource "aws_cloudwatch_metric_alarm" "function_throttles" {
  for_each = local.functions

  alarm_name          = "${var.name}-${each.key}-throttles"
  alarm_description   = "The ${each.key} function was throttled in the last 5 minutes: concurrency ran out (lambda_reserved_concurrency, or the account's quota in Service Quotas)."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = aws_lambda_function.function[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# --- AppSync --------------------------------------------------------------------------------

# The API's own errors (a resolver's error is a 200 with `errors`): AppSync failing, or failing
# to invoke a function.
resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  alarm_name          = "${var.name}-api-5xx"
  alarm_description   = "The GraphQL API answered with a 5XX in the last 5 minutes."
  namespace           = "AWS/AppSync"
  metric_name         = "5XXError"
  dimensions          = { GraphQLAPIId = aws_appsync_graphql_api.main.id }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "api_latency" {
  alarm_name          = "${var.name}-api-latency"
  alarm_description   = "The GraphQL API's average latency stayed above ${var.alarm_api_latency_ms} ms for 15 minutes."
  namespace           = "AWS/AppSync"
  metric_name         = "Latency"
  dimensions          = { GraphQLAPIId = aws_appsync_graphql_api.main.id }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  threshold           = var.alarm_api_latency_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# --- WAF ------------------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "waf_blocked" {
  alarm_name          = "${var.name}-waf-blocked"
  alarm_description   = "The API's web ACL blocked at least ${var.alarm_waf_blocked_requests} requests in 5 minutes: a client over the rate limit, or known-bad input. The WAF log group shows which."
  namespace           = "AWS/WAFV2"
  metric_name         = "BlockedRequests"
  dimensions          = { WebACL = aws_wafv2_web_acl.api.visibility_config[0].metric_name, Region = var.region, Rule = "ALL" }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.alarm_waf_blocked_requests
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}
