# The whole stack, planned and "applied" against a mocked AWS provider: no account, no
# network. Run from infra/ after `make package` (the functions' zips must exist):
#   TF_CLI_CONFIG_FILE=tests/offline.tfrc terraform init -backend=false && terraform test

mock_provider "aws" {
  source = "./tests/mocks"
}

run "table_keeps_the_original_keys_and_index" {
  command = apply

  assert {
    condition     = aws_dynamodb_table.main.hash_key == "pid" && aws_dynamodb_table.main.range_key == "cid"
    error_message = "The table's keys must be pid (HASH) and cid (RANGE), as in the original design."
  }

  assert {
    condition = (
      length(aws_dynamodb_table.main.attribute) == 2
      && alltrue([for a in aws_dynamodb_table.main.attribute : contains(["pid", "cid"], a.name) && a.type == "S"])
    )
    error_message = "The table must declare exactly the string attributes pid and cid."
  }

  assert {
    condition = (
      length(aws_dynamodb_table.main.global_secondary_index) == 1
      && alltrue([for i in aws_dynamodb_table.main.global_secondary_index :
        i.name == "cid_si" && i.hash_key == "cid" && i.range_key == null && i.projection_type == "KEYS_ONLY"
      ])
    )
    error_message = "The table must have exactly one index, cid_si on cid, keys only."
  }

  assert {
    condition     = length(aws_dynamodb_table.main.local_secondary_index) == 0
    error_message = "The table must have no local secondary index."
  }

  assert {
    condition = (
      aws_dynamodb_table.main.billing_mode == "PAY_PER_REQUEST"
      && aws_dynamodb_table.main.deletion_protection_enabled
      && aws_dynamodb_table.main.point_in_time_recovery[0].enabled
      && aws_dynamodb_table.main.server_side_encryption[0].enabled
    )
    error_message = "The table must be on-demand, deletion-protected, with point-in-time recovery and encryption."
  }

  assert {
    condition = (
      aws_dynamodb_table.main.ttl[0].enabled
      && aws_dynamodb_table.main.ttl[0].attribute_name == "expires_at"
    )
    error_message = "The table's TTL must be on expires_at, the attribute the idempotency records carry (retro/store/records.py)."
  }
}

run "every_resolver_of_the_map_and_nothing_more" {
  command = apply

  assert {
    condition     = toset(keys(aws_appsync_resolver.field)) == toset(keys(jsondecode(file("../schema/resolvers.json")).resolvers))
    error_message = "The resolvers must be exactly the Type.field keys of schema/resolvers.json."
  }

  assert {
    condition = alltrue([for key, r in aws_appsync_resolver.field :
      "${r.type}.${r.field}" == key
      && r.kind == "UNIT"
      && r.data_source == "lambda_${jsondecode(file("../schema/resolvers.json")).resolvers[key].function}"
    ])
    error_message = "Each resolver must be on its own Type.field and use the data source of the function the map names."
  }

  assert {
    condition = alltrue([for key, r in aws_appsync_resolver.field :
      coalesce(r.max_batch_size, 0) == try(jsondecode(file("../schema/resolvers.json")).resolvers[key].maxBatchSize, 0)
    ])
    error_message = "Each resolver's max_batch_size must be the map's maxBatchSize (none where the map has none)."
  }

  assert {
    condition = alltrue([for r in aws_appsync_resolver.field :
      r.request_template == null && r.response_template == null && r.code == null
      && length(r.runtime) == 0 && length(r.pipeline_config) == 0 && length(r.caching_config) == 0
    ])
    error_message = "Resolvers must be direct Lambda resolvers: no templates, code, pipeline or caching."
  }

  assert {
    condition = (
      toset(keys(aws_appsync_datasource.function)) == toset(keys(jsondecode(file("../schema/resolvers.json")).functions))
      && alltrue([for ds in aws_appsync_datasource.function : ds.type == "AWS_LAMBDA"])
    )
    error_message = "There must be one Lambda data source per function of the map."
  }

  assert {
    condition = toset(keys(aws_lambda_function.function)) == setunion(
      keys(jsondecode(file("../schema/resolvers.json")).functions), ["authorizer"]
    )
    error_message = "There must be one Lambda function per function of the map, plus the authorizer."
  }

  assert {
    condition = alltrue([for name, f in aws_lambda_function.function :
      f.handler == (name == "authorizer"
        ? jsondecode(file("../schema/resolvers.json")).authorizer.handler
      : jsondecode(file("../schema/resolvers.json")).functions[name].handler)
      && f.tracing_config[0].mode == "Active"
      && f.source_code_hash == filebase64sha256("../dist/${name}.zip")
    ])
    error_message = "Each function must run its handler from the map, traced, from its packaged zip."
  }
}

run "iam_grants_no_wildcard_action_and_no_scan" {
  command = apply

  assert {
    condition = alltrue(flatten([
      for policy in concat(
        [for p in aws_iam_role_policy.function : p.policy],
        [for p in aws_iam_role_policy.datasource : p.policy],
        [aws_iam_role_policy.appsync_logs.policy, aws_sns_topic_policy.alarms.policy],
        ) : [
        for statement in jsondecode(policy).Statement : [
          for action in flatten([statement.Action]) :
          action != "*" && !endswith(action, ":*") && lower(action) != "dynamodb:scan"
        ]
      ]
    ]))
    error_message = "No IAM statement may allow '*', a service-wide 'service:*' or dynamodb:Scan."
  }

  assert {
    condition = alltrue([for name, p in aws_iam_role_policy.function :
      toset(one([for s in jsondecode(p.policy).Statement : s.Action if s.Sid == "Table"])) == toset(
        name == "authorizer"
        ? jsondecode(file("../schema/resolvers.json")).authorizer.dynamodbActions
        : jsondecode(file("../schema/resolvers.json")).functions[name].dynamodbActions
      )
    ])
    error_message = "Each function may use exactly the DynamoDB actions the map lists for it."
  }

  assert {
    condition = alltrue([for p in aws_iam_role_policy.function :
      toset(one([for s in jsondecode(p.policy).Statement : s.Resource if s.Sid == "Table"])) == toset([
        aws_dynamodb_table.main.arn, "${aws_dynamodb_table.main.arn}/index/*"
      ])
    ])
    error_message = "DynamoDB permissions must be on the table and its indexes only."
  }

  assert {
    condition = alltrue([for name, p in aws_iam_role_policy.datasource :
      jsondecode(p.policy).Statement[0].Resource == aws_lambda_alias.live[name].arn
    ])
    error_message = "Each data source role may invoke only its own function's live alias."
  }

  assert {
    condition = (
      aws_lambda_permission.authorizer.principal == "appsync.amazonaws.com"
      && aws_lambda_permission.authorizer.source_arn == aws_appsync_graphql_api.main.arn
      && aws_lambda_permission.authorizer.qualifier == "live"
    )
    error_message = "Only this API may invoke the authorizer."
  }
}

run "api_logs_errors_without_verbose_content" {
  command = apply

  assert {
    condition = (
      aws_appsync_graphql_api.main.log_config[0].field_log_level == "ERROR"
      && aws_appsync_graphql_api.main.log_config[0].exclude_verbose_content
    )
    error_message = "AppSync must log at ERROR level without verbose content."
  }

  assert {
    condition = (
      aws_appsync_graphql_api.main.xray_enabled
      && aws_appsync_graphql_api.main.query_depth_limit == var.query_depth_limit
      && aws_appsync_graphql_api.main.resolver_count_limit == var.resolver_count_limit
      && aws_appsync_graphql_api.main.introspection_config == "ENABLED"
    )
    error_message = "The API must trace with X-Ray and take its limits and introspection from the variables."
  }

  assert {
    condition = (
      aws_appsync_graphql_api.main.authentication_type == "AWS_LAMBDA"
      && length(aws_appsync_graphql_api.main.additional_authentication_provider) == 0
      && aws_appsync_graphql_api.main.lambda_authorizer_config[0].authorizer_uri == aws_lambda_alias.live["authorizer"].arn
      && aws_appsync_graphql_api.main.lambda_authorizer_config[0].authorizer_result_ttl_in_seconds == jsondecode(file("../schema/resolvers.json")).authorizer.ttlSeconds
      && aws_appsync_graphql_api.main.lambda_authorizer_config[0].identity_validation_expression == jsondecode(file("../schema/resolvers.json")).authorizer.identityValidationExpression
    )
    error_message = "The API's only mode must be AWS_LAMBDA: the authorizer's live alias, its TTL and token expression from the map."
  }

  assert {
    condition = (
      length(regexall(aws_appsync_graphql_api.main.lambda_authorizer_config[0].identity_validation_expression, "anonymous")) == 1
      && length(regexall(aws_appsync_graphql_api.main.lambda_authorizer_config[0].identity_validation_expression, "01hzy3k7q9w8e2r5t6y7u8i9o0.${join("", [for i in range(43) : "A"])}")) == 0
      && length(regexall(aws_appsync_graphql_api.main.lambda_authorizer_config[0].identity_validation_expression, "01hzy3k7q9w8e2r5t6y7v8x9z0abcdefghjk.${join("", [for i in range(43) : "A"])}")) == 1
      && length(regexall(aws_appsync_graphql_api.main.lambda_authorizer_config[0].identity_validation_expression, "anonymous2")) == 0
      && length(regexall(aws_appsync_graphql_api.main.lambda_authorizer_config[0].identity_validation_expression, "da2-abcdefghijklmnopqrstuvwxyz")) == 0
    )
    error_message = "The token expression must admit the anonymous credential and a user token's shape, and nothing else."
  }

  assert {
    condition     = aws_appsync_graphql_api.main.schema == file("../schema/schema.graphql")
    error_message = "The API's schema must be schema/schema.graphql as it stands."
  }
}

run "no_api_key_and_nothing_that_expires" {
  command = apply

  assert {
    condition = (
      aws_appsync_graphql_api.main.authentication_type == "AWS_LAMBDA"
      && output.anonymous_token == "anonymous"
      && !can(jsondecode(output.client_config).apiKey)
    )
    error_message = "The stack must have no API key (nothing to expire or rotate): config.json holds the URLs only, the anonymous credential is a fixed string."
  }
}

run "values_out_of_range_are_refused" {
  command = plan

  variables {
    name                 = "a-name-too-long-for-a-bucket-prefix"
    query_depth_limit    = 0
    resolver_count_limit = 10001
    waf_rate_limit       = 5
  }

  expect_failures = [var.name, var.query_depth_limit, var.resolver_count_limit, var.waf_rate_limit]
}

run "introspection_can_be_switched_off" {
  command = plan

  variables {
    introspection_enabled = false
  }

  assert {
    condition     = aws_appsync_graphql_api.main.introspection_config == "DISABLED"
    error_message = "introspection_enabled = false must disable introspection."
  }
}

run "waf_rate_limits_the_api" {
  command = apply

  variables {
    waf_rate_limit          = 250
    waf_rate_window_seconds = 60
  }

  assert {
    condition = anytrue([for rule in aws_wafv2_web_acl.api.rule :
      length(rule.action) == 1 && length(rule.action[0].block) == 1
      && rule.statement[0].rate_based_statement[0].limit == 250
      && rule.statement[0].rate_based_statement[0].evaluation_window_sec == 60
      && rule.statement[0].rate_based_statement[0].aggregate_key_type == "IP"
      if length(rule.statement[0].rate_based_statement) == 1
    ])
    error_message = "The web ACL must block an IP over waf_rate_limit requests per window."
  }

  assert {
    condition = (
      aws_wafv2_web_acl.api.scope == "REGIONAL"
      && aws_wafv2_web_acl_association.api.resource_arn == aws_appsync_graphql_api.main.arn
      && aws_wafv2_web_acl_association.api.web_acl_arn == aws_wafv2_web_acl.api.arn
    )
    error_message = "The web ACL must be attached to the AppSync API."
  }
}

run "client_is_private_behind_cloudfront_and_configured" {
  command = apply

  assert {
    condition = jsondecode(aws_s3_object.config[0].content) == {
      graphqlUrl  = "https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql"
      realtimeUrl = "wss://abcdefghijklmnopqrstuvwxyz.appsync-realtime-api.us-east-1.amazonaws.com/graphql"
    }
    error_message = "config.json must hold exactly graphqlUrl and realtimeUrl of this API."
  }

  assert {
    condition = (
      toset(keys(aws_s3_object.client)) == toset([
        for f in fileset("../client", "**") : f if !contains(["config.json", "README.md", "tsconfig.json"], f)
      ])
      && aws_s3_object.client["index.html"].content_type == "text/html; charset=utf-8"
      && alltrue([for key, o in aws_s3_object.client :
        o.content_type == "text/javascript; charset=utf-8" if endswith(key, ".js")
      ])
    )
    error_message = "Every client file must be uploaded, with its content type."
  }

  assert {
    condition     = !contains(keys(aws_s3_object.client), "README.md") && !contains(keys(aws_s3_object.client), "tsconfig.json")
    error_message = "client/README.md and client/tsconfig.json are for developers: they must not be published."
  }

  assert {
    condition = (
      aws_s3_bucket_public_access_block.client[0].block_public_acls
      && aws_s3_bucket_public_access_block.client[0].block_public_policy
      && aws_s3_bucket_public_access_block.client[0].ignore_public_acls
      && aws_s3_bucket_public_access_block.client[0].restrict_public_buckets
    )
    error_message = "The client bucket must block all public access."
  }

  assert {
    condition = one([for s in jsondecode(aws_s3_bucket_policy.client[0].policy).Statement : s if s.Effect == "Allow"]) == {
      Sid       = "CloudFrontReads"
      Effect    = "Allow"
      Principal = { Service = "cloudfront.amazonaws.com" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::retro-client-mocked/*"
      Condition = { StringEquals = { "AWS:SourceArn" = "arn:aws:cloudfront::123456789012:distribution/EMOCKED" } }
    }
    error_message = "Only this CloudFront distribution may read the bucket."
  }

  assert {
    condition = (
      aws_cloudfront_distribution.client[0].default_cache_behavior[0].viewer_protocol_policy == "redirect-to-https"
      && one(aws_cloudfront_distribution.client[0].origin).origin_access_control_id == aws_cloudfront_origin_access_control.client[0].id
      && aws_cloudfront_distribution.client[0].default_root_object == "index.html"
    )
    error_message = "CloudFront must serve over HTTPS only, from the bucket through origin access control."
  }

  assert {
    condition     = output.client_url == "https://d111111abcdef8.cloudfront.net/"
    error_message = "client_url must be the distribution's HTTPS address."
  }
}

run "package_for_another_architecture_is_refused" {
  command = plan

  variables {
    lambda_architecture = "arm64"
  }

  expect_failures = [aws_lambda_function.function]
}
