# WAF in front of the API: a per-IP rate limit, and AWS's rule group for request patterns
# known to be malicious (Log4j and similar). WAF runs before AppSync's own authorization.

resource "aws_wafv2_web_acl" "api" {
  name        = "${var.name}-api"
  description = "Rate limit and known bad inputs for the ${var.name} GraphQL API."
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "rate-per-ip"
    priority = 0

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit                 = var.waf_rate_limit
        evaluation_window_sec = var.waf_rate_window_seconds
        aggregate_key_type    = "IP"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-rate-per-ip"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "known-bad-inputs"
    priority = 1

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-known-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-api"
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "api" {
  resource_arn = aws_appsync_graphql_api.main.arn
  web_acl_arn  = aws_wafv2_web_acl.api.arn
}

# WAF requires the "aws-waf-logs-" prefix on its log groups.
resource "aws_cloudwatch_log_group" "waf" {
  #checkov:skip=CKV_AWS_158:WAF logs redact the credentials (below); CloudWatch encrypts them at rest, a customer-managed KMS key is not worth its cost here.
  #checkov:skip=CKV_AWS_338:Short retention is deliberate: request logs of anonymous users should not outlive their use (see log_retention_days).
  name              = "aws-waf-logs-${var.name}-api"
  retention_in_days = var.log_retention_days
}

resource "aws_wafv2_web_acl_logging_configuration" "api" {
  resource_arn            = aws_wafv2_web_acl.api.arn
  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]

  # User tokens never reach the logs: neither as a header nor inside a query string (the
  # realtime handshake may carry them there, base64-encoded).
  redacted_fields {
    single_header {
      name = "authorization"
    }
  }

  redacted_fields {
    query_string {}
  }
}
