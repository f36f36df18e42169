# What a first apply on a new account needs: no reserved concurrency by default, a stack
# without CloudFront when the account may not have it yet, the outputs the operations steps
# use, and alarms on one topic. Its own state, separate from stack.tftest.hcl.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "concurrency_is_unreserved_by_default" {
  command = plan

  assert {
    condition     = alltrue([for f in aws_lambda_function.function : f.reserved_concurrent_executions == -1])
    error_message = "By default no function may reserve concurrency: new accounts' quota of 10 would refuse any reservation."
  }
}

run "concurrency_can_be_reserved" {
  command = plan

  variables {
    lambda_reserved_concurrency = 20
  }

  assert {
    condition     = alltrue([for f in aws_lambda_function.function : f.reserved_concurrent_executions == 20])
    error_message = "lambda_reserved_concurrency must be reserved for every function."
  }
}

run "concurrency_minus_one_still_means_unreserved" {
  command = plan

  variables {
    lambda_reserved_concurrency = -1
  }

  assert {
    condition     = alltrue([for f in aws_lambda_function.function : f.reserved_concurrent_executions == -1])
    error_message = "lambda_reserved_concurrency = -1 must reserve nothing, as before it became the default."
  }
}

run "concurrency_of_zero_is_refused" {
  command = plan

  variables {
    lambda_reserved_concurrency = 0
  }

  # 0 would stop every function: never what a deployer means.
  expect_failures = [var.lambda_reserved_concurrency]
}

run "outputs_name_everything_operations_need" {
  command = apply

  assert {
    condition = (
      output.api_id == "abcdefghijklmnopqrstuvwxyz"
      && output.api_arn == "arn:aws:appsync:us-east-1:123456789012:apis/abcdefghijklmnopqrstuvwxyz"
      && output.graphql_url == "https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql"
      && output.realtime_url == "wss://abcdefghijklmnopqrstuvwxyz.appsync-realtime-api.us-east-1.amazonaws.com/graphql"
    )
    error_message = "The API's id, ARN and both endpoints must be outputs."
  }

  assert {
    condition = (
      output.client_url == "https://d111111abcdef8.cloudfront.net/"
      && output.distribution_id == "EMOCKED"
      && output.client_bucket == "retro-client-mocked"
      && strcontains(output.next_step, "make smoke URL=https://d111111abcdef8.cloudfront.net/")
    )
    error_message = "With hosting, the client URL, distribution id and bucket must be outputs, and next_step the smoke test against the client URL."
  }

  assert {
    condition     = output.function_names == { read = "retro-read", write = "retro-write", authorizer = "retro-authorizer" }
    error_message = "function_names must map each function of the map (and the authorizer) to its Lambda name."
  }

  assert {
    condition = (
      output.table_name == "retro"
      && output.web_acl_name == "retro-api"
      && output.alarm_topic_arn == "arn:aws:sns:us-east-1:123456789012:retro-alarms"
    )
    error_message = "The table, the web ACL and the alarm topic must be outputs."
  }

  assert {
    condition     = output.client_config == aws_s3_object.config[0].content
    error_message = "client_config must be exactly the config.json the bucket serves."
  }
}

run "hosting_can_be_left_out" {
  command = apply

  variables {
    enable_hosting = false
  }

  assert {
    condition = (
      length(aws_s3_bucket.client) == 0
      && length(aws_s3_bucket_policy.client) == 0
      && length(aws_s3_bucket_public_access_block.client) == 0
      && length(aws_s3_bucket_versioning.client) == 0
      && length(aws_s3_bucket_lifecycle_configuration.client) == 0
      && length(aws_s3_bucket_server_side_encryption_configuration.client) == 0
      && length(aws_s3_bucket_ownership_controls.client) == 0
      && length(aws_s3_object.client) == 0
      && length(aws_s3_object.config) == 0
    )
    error_message = "enable_hosting = false must create no S3 resource."
  }

  assert {
    condition = (
      length(aws_cloudfront_distribution.client) == 0
      && length(aws_cloudfront_origin_access_control.client) == 0
      && length(aws_cloudfront_function.spa_fallback) == 0
      && length(aws_cloudfront_response_headers_policy.client) == 0
      && length(data.aws_cloudfront_cache_policy.caching_optimized) == 0
    )
    error_message = "enable_hosting = false must create (and read) nothing of CloudFront."
  }

  assert {
    condition     = output.client_url == null && output.distribution_id == null && output.client_bucket == null
    error_message = "Without hosting there is no client URL, distribution or bucket to output."
  }

  assert {
    condition = (
      jsondecode(output.client_config) == {
        graphqlUrl  = "https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql"
        realtimeUrl = "wss://abcdefghijklmnopqrstuvwxyz.appsync-realtime-api.us-east-1.amazonaws.com/graphql"
      }
      && strcontains(output.next_step, "output -raw client_config > config.json")
      && strcontains(output.next_step, "make smoke URL=https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql")
    )
    error_message = "Without hosting, the outputs must give the config.json to host the client elsewhere and the smoke test against the API."
  }

  assert {
    condition = (
      aws_wafv2_web_acl_association.api.resource_arn == aws_appsync_graphql_api.main.arn
      && length(aws_lambda_function.function) == 3
    )
    error_message = "The API, its functions and its WAF must not depend on the hosting."
  }
}

run "alarms_notify_one_topic" {
  command = apply

  assert {
    condition = (
      toset(keys(aws_cloudwatch_metric_alarm.function_errors)) == toset(["read", "write", "authorizer"])
      && toset(keys(aws_cloudwatch_metric_alarm.function_throttles)) == toset(["read", "write", "authorizer"])
      && alltrue([for name, a in aws_cloudwatch_metric_alarm.function_errors :
        a.namespace == "AWS/Lambda" && a.metric_name == "Errors" && a.dimensions == tomap({ FunctionName = "retro-${name}" })
      ])
      && alltrue([for name, a in aws_cloudwatch_metric_alarm.function_throttles :
        a.namespace == "AWS/Lambda" && a.metric_name == "Throttles" && a.dimensions == tomap({ FunctionName = "retro-${name}" }) && a.threshold == 1
      ])
    )
    error_message = "Every function must have an errors and a throttles alarm on its own metrics."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.api_5xx.namespace == "AWS/AppSync"
      && aws_cloudwatch_metric_alarm.api_5xx.metric_name == "5XXError"
      && aws_cloudwatch_metric_alarm.api_latency.metric_name == "Latency"
      && aws_cloudwatch_metric_alarm.api_latency.threshold == var.alarm_api_latency_ms
      && alltrue([for a in [aws_cloudwatch_metric_alarm.api_5xx, aws_cloudwatch_metric_alarm.api_latency] :
        a.dimensions == tomap({ GraphQLAPIId = "abcdefghijklmnopqrstuvwxyz" })
      ])
    )
    error_message = "The API must have a 5XX and a latency alarm on its own metrics."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.waf_blocked.namespace == "AWS/WAFV2"
      && aws_cloudwatch_metric_alarm.waf_blocked.metric_name == "BlockedRequests"
      && aws_cloudwatch_metric_alarm.waf_blocked.dimensions == tomap({ WebACL = "retro-api", Region = "us-east-1", Rule = "ALL" })
    )
    error_message = "The web ACL's blocked requests must have an alarm."
  }

  assert {
    condition = alltrue([
      for a in concat(
        values(aws_cloudwatch_metric_alarm.function_errors),
        values(aws_cloudwatch_metric_alarm.function_throttles),
        [aws_cloudwatch_metric_alarm.api_5xx, aws_cloudwatch_metric_alarm.api_latency, aws_cloudwatch_metric_alarm.waf_blocked],
      ) :
      a.alarm_actions == toset([aws_sns_topic.alarms.arn]) && a.ok_actions == toset([aws_sns_topic.alarms.arn])
      && a.treat_missing_data == "notBreaching" && startswith(a.alarm_name, "retro-")
    ])
    error_message = "Every alarm must notify the alarm topic on alarm and recovery, and stay quiet without traffic."
  }

  assert {
    condition = one(jsondecode(aws_sns_topic_policy.alarms.policy).Statement) == {
      Sid       = "CloudWatchAlarms"
      Effect    = "Allow"
      Principal = { Service = "cloudwatch.amazonaws.com" }
      Action    = "sns:Publish"
      Resource  = "arn:aws:sns:us-east-1:123456789012:retro-alarms"
      Condition = {
        StringEquals = { "aws:SourceAccount" = "123456789012" }
        ArnLike      = { "aws:SourceArn" = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:retro-*" }
      }
    }
    error_message = "Only this stack's CloudWatch alarms may publish to the topic."
  }

  assert {
    condition     = length(aws_sns_topic_subscription.alarm_email) == 0
    error_message = "Without alarm_email nothing may be subscribed."
  }
}

run "alarm_email_subscribes_to_the_topic" {
  command = apply

  variables {
    alarm_email = "ops@example.com"
  }

  assert {
    condition = (
      length(aws_sns_topic_subscription.alarm_email) == 1
      && aws_sns_topic_subscription.alarm_email[0].protocol == "email"
      && aws_sns_topic_subscription.alarm_email[0].endpoint == "ops@example.com"
      && aws_sns_topic_subscription.alarm_email[0].topic_arn == aws_sns_topic.alarms.arn
    )
    error_message = "alarm_email must subscribe that address to the alarm topic by e-mail."
  }
}

run "alarm_settings_out_of_range_are_refused" {
  command = plan

  variables {
    alarm_email                = "not an address"
    alarm_function_errors      = 0
    alarm_api_latency_ms       = 10
    alarm_waf_blocked_requests = 0
  }

  expect_failures = [
    var.alarm_email, var.alarm_function_errors, var.alarm_api_latency_ms, var.alarm_waf_blocked_requests,
  ]
}
